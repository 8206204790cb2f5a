package dev.nnc.runtime;

/**
 * How {@link Trainer#fit} trains: Keras' {@code fit} arguments that nnc supports.
 *
 * @param epochs passes over the training data (0 trains nothing)
 * @param batchSize samples per step, at most the model's {@link Model#maxBatch()}
 * @param seed seeds the per-epoch shuffling
 * @param shuffle shuffle the samples before each epoch (Keras' default) or keep their order
 * @param verbose print progress
 * @param accuracy track the accuracy metric ({@code metrics accuracy}), besides the loss
 * @param display how progress is shown when {@code verbose}
 */
public record FitOptions(int epochs, int batchSize, long seed, boolean shuffle, boolean verbose, boolean accuracy,
    Display display) {

  /** How progress is shown. */
  public enum Display {
    /** {@link #LIVE} on a terminal ({@code System.console() != null}), else {@link #PER_EPOCH}. */
    AUTO,
    /** One line per epoch, rewritten in place with {@code '\r'} as steps complete. */
    LIVE,
    /** One plain line at the end of each epoch, for logs and pipes. */
    PER_EPOCH
  }

  /** Checks the values: {@code epochs >= 0}, {@code batchSize >= 1}. */
  public FitOptions {
    if (epochs < 0) throw new IllegalArgumentException("epochs must be 0 or more, not " + epochs);
    if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
    java.util.Objects.requireNonNull(display, "display");
  }

  /** The model's {@code train} defaults, shuffling, verbose, with accuracy, display chosen automatically. */
  public static FitOptions defaults(Model model) {
    return new FitOptions(model.defaultEpochs(), model.defaultBatchSize(), model.defaultSeed(), true, true, true,
        Display.AUTO);
  }

  /** These options with another number of epochs. */
  public FitOptions withEpochs(int newEpochs) {
    return new FitOptions(newEpochs, batchSize, seed, shuffle, verbose, accuracy, display);
  }

  /** These options with another batch size. */
  public FitOptions withBatchSize(int newBatchSize) {
    return new FitOptions(epochs, newBatchSize, seed, shuffle, verbose, accuracy, display);
  }

  /** These options with another shuffling seed. */
  public FitOptions withSeed(long newSeed) {
    return new FitOptions(epochs, batchSize, newSeed, shuffle, verbose, accuracy, display);
  }

  /** These options with shuffling on or off. */
  public FitOptions withShuffle(boolean newShuffle) {
    return new FitOptions(epochs, batchSize, seed, newShuffle, verbose, accuracy, display);
  }

  /** These options with progress printed or not. */
  public FitOptions withVerbose(boolean newVerbose) {
    return new FitOptions(epochs, batchSize, seed, shuffle, newVerbose, accuracy, display);
  }

  /** These options with the accuracy metric tracked or not. */
  public FitOptions withAccuracy(boolean newAccuracy) {
    return new FitOptions(epochs, batchSize, seed, shuffle, verbose, newAccuracy, display);
  }

  /** These options with another way of showing progress. */
  public FitOptions withDisplay(Display newDisplay) {
    return new FitOptions(epochs, batchSize, seed, shuffle, verbose, accuracy, newDisplay);
  }
}
