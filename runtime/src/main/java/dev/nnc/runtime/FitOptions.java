package dev.nnc.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * How {@link Trainer#fit} trains: Keras' {@code fit} arguments that nnc supports.
 *
 * @param epochs passes over the training data, counting those a resumed run already did (Keras'
 *     {@code epochs} with {@code initial_epoch}); 0 trains nothing
 * @param batchSize samples per step; above the model's {@link Model#maxBatch()}, each step adds up the
 *     gradients of chunks of at most {@code maxBatch()} samples into one optimizer step
 * @param seed seeds the per-epoch shuffling
 * @param shuffle shuffle the samples before each epoch (Keras' default) or keep their order
 * @param verbose print progress
 * @param metrics the metrics tracked besides the loss, by Keras' names ({@code accuracy}, {@code mae}, ...;
 *     see {@link Metric}); {@link #defaults} takes the model's own ({@code metrics} in its source)
 * @param display how progress is shown when {@code verbose}
 * @param validationSplit Keras' {@code validation_split}: the last fraction of the training samples,
 *     taken before shuffling, is never trained on and is evaluated after each epoch as {@code val_*}
 *     (then {@code fit}'s own validation set must be null); 0 for none
 * @param terminateOnNaN stop with {@link TrainingDivergedException} as soon as a step's loss is NaN or
 *     infinite (Keras' {@code TerminateOnNaN}, on by default)
 * @param schedule the learning rate per step ({@code keras.optimizers.schedules}), or null for the
 *     model's own rate (which callbacks may change)
 * @param callbacks called in order after each epoch (see {@link FitCallback})
 * @param checkpoint write the whole training state here after each epoch ({@link TrainingState}), or null
 * @param resume continue the run whose state this checkpoint holds, or null for a fresh run
 * @param historyFile write the history so far here as CSV after each epoch, or null
 * @param stop when set (e.g. by a Ctrl-C handler), training stops after the current step; or null
 */
public record FitOptions(int epochs, int batchSize, long seed, boolean shuffle, boolean verbose, List<String> metrics,
    Display display, double validationSplit, boolean terminateOnNaN, LearningRateSchedule schedule,
    List<FitCallback> callbacks, Path checkpoint, Path resume, Path historyFile, AtomicBoolean stop) {

  /** How progress is shown. */
  public enum Display {
    /** {@link #LIVE} on a terminal ({@code System.console() != null}), else {@link #PER_EPOCH}. */
    AUTO,
    /** One line per epoch, rewritten in place with {@code '\r'} as steps complete. */
    LIVE,
    /** One plain line at the end of each epoch, for logs and pipes. */
    PER_EPOCH
  }

  /** Checks the values: {@code epochs >= 0}, {@code batchSize >= 1}, {@code 0 <= validationSplit < 1}. */
  public FitOptions {
    if (epochs < 0) throw new IllegalArgumentException("epochs must be 0 or more, not " + epochs);
    if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
    if (!(validationSplit >= 0 && validationSplit < 1)) {
      throw new IllegalArgumentException("validation_split must be at least 0 and below 1, not " + validationSplit);
    }
    java.util.Objects.requireNonNull(display, "display");
    metrics = List.copyOf(metrics);
    callbacks = List.copyOf(callbacks);
    if (schedule != null && callbacks.stream().anyMatch(FitCallback::changesLearningRate)) {
      throw new IllegalArgumentException("a learning-rate schedule sets the rate of every step, so no callback may change it too");
    }
  }

  /** The options before validation, schedules, callbacks and checkpoints: none of them. */
  public FitOptions(int epochs, int batchSize, long seed, boolean shuffle, boolean verbose, List<String> metrics,
      Display display) {
    this(epochs, batchSize, seed, shuffle, verbose, metrics, display, 0, true, null, List.of(), null, null, null, null);
  }

  /** The model's {@code train} defaults and metrics, shuffling, verbose, display chosen automatically. */
  public static FitOptions defaults(Model model) {
    return new FitOptions(model.defaultEpochs(), model.defaultBatchSize(), model.defaultSeed(), true, true,
        model.metrics(), Display.AUTO);
  }

  /** These options with another number of epochs. */
  public FitOptions withEpochs(int newEpochs) {
    return new FitOptions(newEpochs, batchSize, seed, shuffle, verbose, metrics, display, validationSplit,
        terminateOnNaN, schedule, callbacks, checkpoint, resume, historyFile, stop);
  }

  /** These options with another batch size. */
  public FitOptions withBatchSize(int newBatchSize) {
    return new FitOptions(epochs, newBatchSize, seed, shuffle, verbose, metrics, display, validationSplit,
        terminateOnNaN, schedule, callbacks, checkpoint, resume, historyFile, stop);
  }

  /** These options with another shuffling seed. */
  public FitOptions withSeed(long newSeed) {
    return new FitOptions(epochs, batchSize, newSeed, shuffle, verbose, metrics, display, validationSplit,
        terminateOnNaN, schedule, callbacks, checkpoint, resume, historyFile, stop);
  }

  /** These options with shuffling on or off. */
  public FitOptions withShuffle(boolean newShuffle) {
    return new FitOptions(epochs, batchSize, seed, newShuffle, verbose, metrics, display, validationSplit,
        terminateOnNaN, schedule, callbacks, checkpoint, resume, historyFile, stop);
  }

  /** These options with progress printed or not. */
  public FitOptions withVerbose(boolean newVerbose) {
    return new FitOptions(epochs, batchSize, seed, shuffle, newVerbose, metrics, display, validationSplit,
        terminateOnNaN, schedule, callbacks, checkpoint, resume, historyFile, stop);
  }

  /** These options with other metrics (Keras' names; none for the loss alone). */
  public FitOptions withMetrics(List<String> newMetrics) {
    return new FitOptions(epochs, batchSize, seed, shuffle, verbose, newMetrics, display, validationSplit,
        terminateOnNaN, schedule, callbacks, checkpoint, resume, historyFile, stop);
  }

  /** These options with another way of showing progress. */
  public FitOptions withDisplay(Display newDisplay) {
    return new FitOptions(epochs, batchSize, seed, shuffle, verbose, metrics, newDisplay, validationSplit,
        terminateOnNaN, schedule, callbacks, checkpoint, resume, historyFile, stop);
  }

  /** These options with Keras' {@code validation_split}. */
  public FitOptions withValidationSplit(double newValidationSplit) {
    return new FitOptions(epochs, batchSize, seed, shuffle, verbose, metrics, display, newValidationSplit,
        terminateOnNaN, schedule, callbacks, checkpoint, resume, historyFile, stop);
  }

  /** These options with TerminateOnNaN on or off. */
  public FitOptions withTerminateOnNaN(boolean newTerminateOnNaN) {
    return new FitOptions(epochs, batchSize, seed, shuffle, verbose, metrics, display, validationSplit,
        newTerminateOnNaN, schedule, callbacks, checkpoint, resume, historyFile, stop);
  }

  /** These options with a learning-rate schedule (null for none). */
  public FitOptions withSchedule(LearningRateSchedule newSchedule) {
    return new FitOptions(epochs, batchSize, seed, shuffle, verbose, metrics, display, validationSplit,
        terminateOnNaN, newSchedule, callbacks, checkpoint, resume, historyFile, stop);
  }

  /** These options with these callbacks instead. */
  public FitOptions withCallbacks(List<FitCallback> newCallbacks) {
    return new FitOptions(epochs, batchSize, seed, shuffle, verbose, metrics, display, validationSplit,
        terminateOnNaN, schedule, newCallbacks, checkpoint, resume, historyFile, stop);
  }

  /** These options with the training state written to {@code file} after each epoch (null for none). */
  public FitOptions withCheckpoint(Path file) {
    return new FitOptions(epochs, batchSize, seed, shuffle, verbose, metrics, display, validationSplit,
        terminateOnNaN, schedule, callbacks, file, resume, historyFile, stop);
  }

  /** These options resuming the run that {@code file} checkpointed (null for a fresh run). */
  public FitOptions withResume(Path file) {
    return new FitOptions(epochs, batchSize, seed, shuffle, verbose, metrics, display, validationSplit,
        terminateOnNaN, schedule, callbacks, checkpoint, file, historyFile, stop);
  }

  /** These options with the history written to {@code file} after each epoch (null for none). */
  public FitOptions withHistoryFile(Path file) {
    return new FitOptions(epochs, batchSize, seed, shuffle, verbose, metrics, display, validationSplit,
        terminateOnNaN, schedule, callbacks, checkpoint, resume, file, stop);
  }

  /** These options stopping after the step during which {@code flag} becomes true (null for never). */
  public FitOptions withStop(AtomicBoolean flag) {
    return new FitOptions(epochs, batchSize, seed, shuffle, verbose, metrics, display, validationSplit,
        terminateOnNaN, schedule, callbacks, checkpoint, resume, historyFile, flag);
  }
}
