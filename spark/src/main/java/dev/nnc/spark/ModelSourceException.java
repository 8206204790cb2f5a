package dev.nnc.spark;

/**
 * A model source that does not compile: the message is the compiler's diagnostics, each with its
 * file, line and column and a caret under the spot, exactly as {@code nnc check} prints them.
 * Thrown on the driver by {@code fit} before any Spark job runs.
 */
public final class ModelSourceException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  ModelSourceException(String diagnostics) {
    super(diagnostics);
  }
}
