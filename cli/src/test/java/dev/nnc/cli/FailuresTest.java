package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.nnc.runtime.NncDataException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class FailuresTest {

  private static String report(Throwable failure, int expectedExitCode) {
    StringWriter err = new StringWriter();
    assertEquals(expectedExitCode, Failures.report(failure, new PrintWriter(err, true)));
    return err.toString();
  }

  @Test
  void inputErrorsAreOneLineEach() {
    assertEquals("nnc: error: w.npz: array 'a' is missing\nnnc: error: w.npz: array 'b' is missing\n",
        report(new NncDataException("w.npz: array 'a' is missing\nw.npz: array 'b' is missing"), 1));
    assertEquals("nnc: error: x.npy: no such file or folder\n",
        report(new UncheckedIOException(new NoSuchFileException("x.npy")), 1));
  }

  @Test
  void bugsAreInternalErrorsWithoutStackTraces() {
    String generatedCodeBug = report(new NncBug("the Java generated for m.nn does not compile"), 3);
    String unexpected = report(new IllegalStateException("oops"), 3);

    assertEquals("nnc: internal error: the Java generated for m.nn does not compile\n"
        + "nnc: this is a bug in nnc; set NNC_DEBUG=1 for details\n", generatedCodeBug);
    assertEquals("nnc: internal error: java.lang.IllegalStateException: oops\n"
        + "nnc: this is a bug in nnc; set NNC_DEBUG=1 for details\n", unexpected);
    assertFalse(unexpected.contains("\tat "));
  }
}
