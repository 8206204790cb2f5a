package dev.nnc.cli;

/** What {@code nnc} exits with; also listed in {@code nnc --help}. */
final class ExitCodes {
  private ExitCodes() {}

  static final int OK = 0;
  /** Errors in the input: a bad model, a missing or malformed data or weights file. */
  static final int INPUT_ERROR = 1;
  /** Bad usage: an unknown option, a missing or invalid argument. */
  static final int USAGE = 2;
  /** A bug in nnc, such as generated code that does not compile. */
  static final int INTERNAL_ERROR = 3;
  /** Training stopped by Ctrl-C (SIGINT), after writing what was asked for: 128 + 2, as shells report it. */
  static final int INTERRUPTED = 130;
}
