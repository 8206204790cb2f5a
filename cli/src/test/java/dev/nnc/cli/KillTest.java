package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.runtime.Npy;
import dev.nnc.runtime.NpyArray;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nnc train --save} in a process of its own, killed with SIGKILL (no shutdown hook, no
 * finally block runs): while it trains, and while it writes the weights. The weights file that was
 * there before stays byte-identical, and no temporary file stays behind (one a killed write leaves
 * is removed by the next write to the same file, which is the soonest anything can remove it).
 */
class KillTest {
  @TempDir static Path dir;
  static Path model;
  static Path x;
  static Path y;

  @BeforeAll
  static void writeData() throws IOException {
    // About 8 million parameters: a 32 MB weights file, whose writing takes long enough to be caught.
    model = Models.write(dir, "wide.nn", "input 2000; dense 4000 relu; dense 2 softmax; loss sparse_ce;"
        + " optimizer sgd; train batch 32 epochs 1;");
    SplittableRandom random = new SplittableRandom(3);
    float[] features = new float[64 * 2000];
    for (int i = 0; i < features.length; i++) features[i] = (float) random.nextDouble();
    float[] labels = new float[64];
    for (int i = 0; i < labels.length; i++) labels[i] = i % 2;
    x = dir.resolve("x.npy");
    y = dir.resolve("y.npy");
    Npy.write(x, NpyArray.ofFloats(new int[] {64, 2000}, features));
    Npy.write(y, NpyArray.ofFloats(new int[] {64}, labels));
  }

  @Test
  void killedWhileTrainingLeavesTheEarlierWeightsAndNothingElse() throws Exception {
    Path weights = earlierWeights("training.npz");
    byte[] before = Files.readAllBytes(weights);
    Process p = nnc(true, "train", model.toString(), "--x", x.toString(), "--y", y.toString(), "--epochs", "1000",
        "--save", weights.toString());
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.startsWith("Epoch 3/")) {
        // training: wait until it is well into it
      }
      assertTrue(line != null, "training ran");
      p.destroyForcibly().waitFor(); // SIGKILL
    }
    assertArrayEquals(before, Files.readAllBytes(weights));
    assertEquals(List.of(), temporaries());
  }

  @Test
  void killedWhileSavingLeavesTheEarlierWeightsAndTheNextSaveRemovesItsTemporary() throws Exception {
    Path weights = earlierWeights("saving.npz");
    byte[] before = Files.readAllBytes(weights);
    boolean caught = false;
    for (int attempt = 0; attempt < 5 && !caught; attempt++) {
      ProcessBuilder saving = command(true, "train", model.toString(), "--x", x.toString(), "--y", y.toString(),
          "--seed", "9", "--save", weights.toString());
      Process p = saving.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      while (p.isAlive() && !caught) {
        if (!temporaries().isEmpty()) {
          p.destroyForcibly(); // SIGKILL while the temporary file is being written
          caught = true;
        }
      }
      p.waitFor();
      if (!caught) {
        // The write ended between two looks: the new weights replaced the file whole. Start again from the old ones.
        Files.write(weights, before);
      }
    }
    assertTrue(caught, "a save was caught part way in 5 attempts");
    assertArrayEquals(before, Files.readAllBytes(weights), "the earlier weights are intact");
    assertEquals(1, temporaries().size(), "the killed save's temporary file (nothing could remove it yet)");

    Process next = nnc(true, "train", model.toString(), "--x", x.toString(), "--y", y.toString(), "--save", weights.toString());
    next.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    assertEquals(0, next.waitFor());
    assertEquals(List.of(), temporaries(), "the next save removed it");
  }

  @Test
  void vectorKernelsWithoutTheirModuleAreAUsageErrorNamingTheFlag() throws Exception {
    Process p = nnc(false, "train", model.toString(), "--x", x.toString(), "--y", y.toString(), "--kernels", "vector");
    String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(2, p.waitFor(), all);
    assertTrue(all.contains("--add-modules jdk.incubator.vector"), all);
  }

  /** A weights file written by a first, complete run. */
  private static Path earlierWeights(String name) throws Exception {
    Path weights = dir.resolve(name);
    Process p = nnc(true, "train", model.toString(), "--x", x.toString(), "--y", y.toString(), "--save", weights.toString());
    String all = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), all);
    return weights;
  }

  private static List<Path> temporaries() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".nnc-tmp")).toList();
    }
  }

  /** {@code nnc ARGS} in a new JVM, as bin/nnc starts it (with the Vector API module, if {@code vector}), stderr into stdout. */
  private static Process nnc(boolean vector, String... args) throws IOException {
    return command(vector, args).start();
  }

  private static ProcessBuilder command(boolean vector, String... args) {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-Dnnc.cache=" + System.getProperty("nnc.cache", dir.resolve("cache").toString())));
    if (vector) command.addAll(List.of("--add-modules", "jdk.incubator.vector"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path") + File.pathSeparator, "dev.nnc.cli.NncCommand"));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true);
  }
}
