package dev.nnc.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Model sources the tests write. */
final class Models {
  private Models() {}

  /** The showcase: Deep Learning with Python, chapter 2. */
  static final String MNIST = """
      input 784;
      dense 512 relu;
      dense 10 softmax;
      loss sparse_ce;
      optimizer rmsprop;
      metrics accuracy;
      train batch 128 epochs 5 seed 42;
      """;

  /** A misspelled activation on line 2: an error the checker reports with a position. */
  static final String MISSPELLED_ACTIVATION = """
      input 784;
      dense 512 rleu;
      dense 10 softmax;
      loss sparse_ce;
      """;

  /** Two classes of points in the plane; small enough to train in a blink. */
  static final String BLOBS = """
      input 2;
      dense 16 relu;
      dense 2 softmax;
      loss sparse_ce;
      optimizer adam(learning_rate = 0.01);
      metrics accuracy;
      train batch 32 epochs 2 seed 7;
      """;

  static Path write(Path dir, String fileName, String text) throws IOException {
    Path file = dir.resolve(fileName);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }
}
