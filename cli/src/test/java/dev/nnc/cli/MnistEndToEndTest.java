package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnc.runtime.Npz;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nnc train --data} on real MNIST: one epoch of the book's model reaches 95% on the test set.
 * The data folder (the one holding {@code mnist/}) comes from the system property {@code nnc.data},
 * which the build sets from {@code $NNC_DATA}; without it the test is skipped.
 */
class MnistEndToEndTest {

  @TempDir
  Path dir;

  @Test
  void oneEpochReachesNinetyFivePercent() throws Exception {
    String data = System.getProperty("nnc.data", "");
    assumeTrue(!data.isBlank() && !data.contains("${"), "nnc.data is not set (set NNC_DATA to run this test)");
    Path mnist = Path.of(data, "mnist");
    assumeTrue(Files.isDirectory(mnist), () -> mnist + " does not exist");
    Path model = Models.write(dir, "mnist.nn", Models.MNIST);
    Path weights = dir.resolve("mnist.npz");

    Cli result = Cli.run("train", model.toString(), "--data", mnist.toString(), "--epochs", "1", "--batch", "128",
        "--save", weights.toString());

    assertEquals(0, result.exitCode(), result::toString);
    assertTrue(result.out().startsWith("Epoch 1/1\n469/469 "), result::toString);
    Matcher m = Pattern.compile("(?m)^test_accuracy: ([0-9.]+) - test_loss: [0-9.]+$").matcher(result.out());
    assertTrue(m.find(), result::toString);
    assertTrue(Double.parseDouble(m.group(1)) >= 0.95, result::toString);
    assertArrayEquals(new int[] {784, 512}, Npz.read(weights).get("dense_1/kernel").shape());
  }
}
