package dev.nnc.cli;

import dev.nnc.compiler.diag.Texts;
import dev.nnc.runtime.NncDataException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Turns what went wrong in a command into one message on stderr and an exit code. Users see
 * messages, never stack traces; set the environment variable {@code NNC_DEBUG} to any value to get
 * the stack trace of an internal error as well.
 */
final class Failures {
  private Failures() {}

  static int report(Throwable failure, PrintWriter err) {
    if (failure instanceof UserError || failure instanceof NncDataException) {
      // One problem a line (a weights file can have several); each line says it is an error.
      // Messages name files, whose names may hold characters a terminal would act on: escaped.
      failure.getMessage().lines().forEach(line -> err.println("nnc: error: " + Texts.visible(line)));
      return ExitCodes.INPUT_ERROR;
    }
    if (failure instanceof UncheckedIOException && failure.getCause() != null) {
      failure = failure.getCause();
    }
    if (failure instanceof IOException) {
      err.println("nnc: error: " + Texts.visible(describe((IOException) failure)));
      return ExitCodes.INPUT_ERROR;
    }
    String message = failure instanceof NncBug
        ? failure.getMessage()
        : failure.getClass().getName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    err.println("nnc: internal error: " + message);
    if (System.getenv("NNC_DEBUG") != null) {
      failure.printStackTrace(err);
    } else {
      err.println("nnc: this is a bug in nnc; set NNC_DEBUG=1 for details");
    }
    return ExitCodes.INTERNAL_ERROR;
  }

  /** {@code FILE: reason} for the I/O failures a user can do something about. */
  static String describe(IOException e) {
    if (e instanceof NoSuchFileException) return e.getMessage() + ": no such file or folder";
    if (e instanceof AccessDeniedException) return e.getMessage() + ": permission denied";
    if (e instanceof NotDirectoryException) return e.getMessage() + ": not a folder";
    if (e instanceof FileAlreadyExistsException) return e.getMessage() + ": is in the way (already exists)";
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }
}
