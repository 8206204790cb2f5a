package dev.nnc.cli;

import dev.nnc.runtime.NncDataException;
import java.util.function.Supplier;

/**
 * A problem the user can fix (a missing file, bad data, weights that do not fit the model): the
 * command prints the message alone, without a stack trace, and exits with
 * {@link ExitCodes#INPUT_ERROR}.
 */
final class UserError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UserError(String message) {
    super(message, null, false, false);
  }

  UserError(String message, Throwable cause) {
    super(message, cause, false, false);
  }

  /**
   * Runs a read of user-supplied files; any unchecked exception from it is about those files
   * (the runtime's own {@code NncDataException} messages already name them and pass through).
   */
  static <T> T whileReading(String files, Supplier<T> read) {
    try {
      return read.get();
    } catch (NncDataException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new UserError(files + ": cannot be read: "
          + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }
  }

  /** {@link #whileReading} for a read that fills something in rather than returning it. */
  static void whileLoading(String files, Runnable load) {
    whileReading(files, () -> {
      load.run();
      return null;
    });
  }
}
