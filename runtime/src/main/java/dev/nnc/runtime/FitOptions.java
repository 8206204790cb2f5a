package dev.nnc.runtime;

import java.util.List;

/**
 * How {@link Trainer#fit} trains: Keras' {@code fit} arguments that nnc supports.
 *
 * @param epochs passes over the training data (0 trains nothing)
 * @param batchSize samples per step, at most the model's {@link Model#maxBatch()}
 * @param seed seeds the per-epoch shuffling
 * @param shuffle shuffle the samples before each epoch (Keras' default) or keep their order
 * @param verbose print progress
 * @param metrics the metrics tracked besides the loss, by Keras' names ({@code accuracy}, {@code mae}, ...;
 *     see {@link Metric}); {@link #defaults} takes the model's own ({@code metrics} in its source)
 * @param display how progress is shown when {@code verbose}
 */
public record FitOptions(int epochs, int batchSize, long seed, boolean shuffle, boolean verbose, List<String> metrics,
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
    metrics = List.copyOf(metrics);
  }

  /** The model's {@code train} defaults and metrics, shuffling, verbose, display chosen automatically. */
  public static FitOptions defaults(Model model) {
    return new FitOptions(model.defaultEpochs(), model.defaultBatchSize(), model.defaultSeed(), true, true,
        model.metrics(), Display.AUTO);
  }

  /** These options with another number of epochs. */
  public FitOptions withEpochs(int newEpochs) {
    return new FitOptions(newEpochs, batchSize, seed, shuffle, verbose, metrics, display);
  }

  /** These options with another batch size. */
  public FitOptions withBatchSize(int newBatchSize) {
    return new FitOptions(epochs, newBatchSize, seed, shuffle, verbose, metrics, display);
  }

  /** These options with another shuffling seed. */
  public FitOptions withSeed(long newSeed) {
    return new FitOptions(epochs, batchSize, newSeed, shuffle, verbose, metrics, display);
  }

  /** These options with shuffling on or off. */
  public FitOptions withShuffle(boolean newShuffle) {
    return new FitOptions(epochs, batchSize, seed, newShuffle, verbose, metrics, display);
  }

  /** These options with progress printed or not. */
  public FitOptions withVerbose(boolean newVerbose) {
    return new FitOptions(epochs, batchSize, seed, shuffle, newVerbose, metrics, display);
  }

  /** These options with other metrics (Keras' names; none for the loss alone). */
  public FitOptions withMetrics(List<String> newMetrics) {
    return new FitOptions(epochs, batchSize, seed, shuffle, verbose, newMetrics, display);
  }

  /** These options with another way of showing progress. */
  public FitOptions withDisplay(Display newDisplay) {
    return new FitOptions(epochs, batchSize, seed, shuffle, verbose, metrics, newDisplay);
  }
}
