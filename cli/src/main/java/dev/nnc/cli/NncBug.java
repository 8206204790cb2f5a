package dev.nnc.cli;

/**
 * A failure that is nnc's fault, not the user's (for example generated code that javac rejects):
 * reported as an internal error with {@link ExitCodes#INTERNAL_ERROR}.
 */
final class NncBug extends RuntimeException {
  private static final long serialVersionUID = 1L;

  NncBug(String message) {
    super(message);
  }

  NncBug(String message, Throwable cause) {
    super(message, cause);
  }
}
