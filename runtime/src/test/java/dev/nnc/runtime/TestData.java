package dev.nnc.runtime;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shared real data are, or a skipped test when they are not there. */
final class TestData {
  private TestData() {}

  /** The shared MNIST folder ({@code nnc.data} or {@code NNC_DATA}, then {@code mnist/}); skips the test if absent. */
  static Path mnistDir() {
    Path root = MnistData.configuredDataDir().orElse(null);
    assumeTrue(root != null, "no data folder: set NNC_DATA (or -Dnnc.data) to the shared data folder");
    Path mnist = root.resolve("mnist");
    assumeTrue(Files.isDirectory(mnist), "no mnist/ folder in " + root);
    return mnist;
  }
}
