package dev.nnc.runtime;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shared real data are, or a skipped test when they are not there. */
final class TestData {
  private TestData() {}

  /**
   * The shared MNIST folder ({@code nnc.data} or {@code NNC_DATA}: the folder of the files, or the one
   * holding {@code mnist/} with them, as {@link MnistData} takes it); skips the test if absent.
   */
  static Path mnistDir() {
    Path root = MnistData.configuredDataDir().orElse(null);
    assumeTrue(root != null, "no data folder: set NNC_DATA (or -Dnnc.data) to the shared data folder");
    if (Files.isRegularFile(root.resolve("t10k-images-idx3-ubyte.gz"))) return root;
    Path mnist = root.resolve("mnist");
    assumeTrue(Files.isDirectory(mnist), "no MNIST files and no mnist/ folder in " + root);
    return mnist;
  }
}
