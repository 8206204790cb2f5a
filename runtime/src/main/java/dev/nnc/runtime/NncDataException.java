package dev.nnc.runtime;

/**
 * A data, weight or history file that could not be read or written as nnc needs it.
 *
 * <p>The message stands alone: it names the file and the spot ({@code w.npz: array
 * 'dense_1/kernel' has shape [784, 256], the model needs [784, 512]}), so a command-line tool can
 * print just {@link #getMessage()} and exit.
 */
public class NncDataException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NncDataException(String message) {
    super(message);
  }

  public NncDataException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code FILE: detail}, the shape of every message this runtime gives about a file. */
  static NncDataException at(Object file, String detail) {
    return new NncDataException(file + ": " + detail);
  }

  /** Turns an I/O failure on {@code file} into a message a user can act on. */
  static NncDataException io(Object file, java.io.IOException e) {
    String detail;
    if (e instanceof java.nio.file.NoSuchFileException) {
      detail = "no such file";
    } else if (e instanceof java.nio.file.AccessDeniedException) {
      detail = "permission denied";
    } else if (e instanceof java.io.EOFException || e instanceof java.util.zip.ZipException) {
      detail = "corrupt or truncated compressed data (" + e.getMessage() + ")";
    } else {
      detail = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
    return new NncDataException(file + ": " + detail, e);
  }
}
