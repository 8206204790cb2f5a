package dev.nnc.runtime;

/**
 * Training stopped because a step's loss became NaN or infinite (Keras' {@code TerminateOnNaN}):
 * the weights have diverged, so they are not worth keeping. A user's error (a learning rate too
 * high, data on too large a scale), reported with the epoch and step where it happened.
 */
public final class TrainingDivergedException extends NncDataException {
  private static final long serialVersionUID = 1L;

  private final int epoch;
  private final int step;

  TrainingDivergedException(float loss, int epoch, int step, int steps) {
    super("training stopped: the loss became " + loss + " at epoch " + epoch + ", step " + step + " of " + steps
        + "; the weights diverged (a learning rate too high, or inputs on too large a scale?)");
    this.epoch = epoch;
    this.step = step;
  }

  /** The epoch, from 1, whose step gave the non-finite loss. */
  public int epoch() {
    return epoch;
  }

  /** The step within the epoch, from 1. */
  public int step() {
    return step;
  }
}
