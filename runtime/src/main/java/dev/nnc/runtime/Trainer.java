package dev.nnc.runtime;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** Keras' {@code fit}, {@code evaluate} and {@code predict} for a generated {@link Model}. */
public final class Trainer {
  private Trainer() {}

  /**
   * Trains {@code model} from its current parameters (call {@link Model#initialize} first for fresh
   * ones) for {@code options.epochs()} epochs, shuffling the samples before each epoch, the last
   * partial batch included. After each epoch the model is evaluated on {@code validation}, if
   * given, as Keras' {@code validation_data}. The data are fitted to the model with
   * {@link Datasets#forModel} first. Progress goes to {@code out} when {@code options.verbose()}.
   *
   * @throws IllegalArgumentException if the batch size exceeds {@link Model#maxBatch()}
   * @throws NncDataException if a data set does not fit the model or is empty
   * @throws TrainingDivergedException as soon as a step's loss is NaN or infinite; the model's
   *     weights are then no use, and the caller should not save them
   */
  public static History fit(Model model, Dataset train, Dataset validation, FitOptions options, PrintStream out) {
    return fit(model, train, validation, options, out, FitCallback.NONE);
  }

  /** {@link #fit(Model, Dataset, Dataset, FitOptions, PrintStream)}, calling {@code callback} as it goes. */
  public static History fit(Model model, Dataset train, Dataset validation, FitOptions options, PrintStream out,
      FitCallback callback) {
    return fit(model, train, validation, options, out, callback, System::nanoTime);
  }

  static History fit(Model model, Dataset train, Dataset validation, FitOptions options, PrintStream out,
      LongSupplier clock) {
    return fit(model, train, validation, options, out, FitCallback.NONE, clock);
  }

  static History fit(Model model, Dataset train, Dataset validation, FitOptions options, PrintStream out,
      FitCallback callback, LongSupplier clock) {
    java.util.Objects.requireNonNull(callback, "callback");
    checkBatchSize(model, options.batchSize());
    Dataset data = nonEmpty(Datasets.forModel(model, train));
    Dataset check = validation == null ? null : nonEmpty(Datasets.forModel(model, validation));
    boolean live = options.display() == FitOptions.Display.LIVE
        || (options.display() == FitOptions.Display.AUTO && System.console() != null);
    ProgressBar progress = options.verbose() ? new ProgressBar(out, live, clock) : null;
    return new EpochLoop(model, data, options, progress, callback).run(check);
  }

  /** The state of one {@code fit}: the buffers a step fills, allocated once, and the running means. */
  private static final class EpochLoop {
    private final Model model;
    private final Dataset data;
    private final FitOptions options;
    private final ProgressBar progress;
    private final FitCallback callback;
    private final MetricSet metrics;
    private final float[] x;
    private final float[] y;
    private final Supplier<Map<String, Double>> runningLogs = () -> logs(null);

    EpochLoop(Model model, Dataset data, FitOptions options, ProgressBar progress, FitCallback callback) {
      this.model = model;
      this.data = data;
      this.options = options;
      this.progress = progress;
      this.callback = callback;
      this.metrics = MetricSet.of(model, options.metrics());
      this.x = new float[options.batchSize() * data.featureSize()];
      this.y = new float[options.batchSize() * data.targetSize()];
    }

    History run(Dataset validation) {
      History history = new History(List.copyOf(logs(validation == null ? null : emptyEvaluation()).keySet()));
      EpochOrder order = new EpochOrder(data.size(), options.seed(), options.shuffle());
      int batch = options.batchSize();
      int steps = (data.size() + batch - 1) / batch;
      callback.onTrainBegin();
      for (int epoch = 0; epoch < options.epochs(); epoch++) {
        callback.onEpochBegin(epoch);
        if (progress != null) progress.startEpoch(epoch + 1, options.epochs(), steps);
        int[] samples = order.next();
        metrics.reset();
        for (int step = 0; step < steps; step++) {
          int first = step * batch;
          int n = Math.min(batch, data.size() - first);
          for (int row = 0; row < n; row++) data.copyRow(samples[first + row], x, y, row);
          float loss = model.trainStep(x, y, n);
          if (!Float.isFinite(loss)) {
            // As Keras' TerminateOnNaN: every later step would only spread the NaN through the weights.
            if (progress != null) progress.interrupt();
            throw new TrainingDivergedException(loss, epoch + 1, step + 1, steps);
          }
          metrics.update(loss, model.output(), y, n);
          if (progress != null) progress.step(step + 1, runningLogs);
        }
        Evaluation val = validation == null ? null : evaluate(model, validation, batch, options.metrics());
        Map<String, Double> epochLogs = logs(val);
        history.add(epochLogs);
        if (progress != null) progress.endEpoch(epochLogs);
        callback.onEpochEnd(epoch);
      }
      return history;
    }

    /** Keras' log names and order: the training values sorted by name (accuracy, loss), then val_accuracy, val_loss. */
    private Map<String, Double> logs(Evaluation validation) {
      Map<String, Double> logs = new LinkedHashMap<>(metrics.logs(""));
      if (validation != null) logs.putAll(validation.logs("val_"));
      return logs;
    }

    /** An evaluation with every metric, to name the validation series before there are values. */
    private Evaluation emptyEvaluation() {
      return metrics.evaluation();
    }
  }

  /**
   * The mean loss (weighted by batch sizes) and the model's own metrics ({@link Model#metrics()})
   * over {@code data}, in inference mode, in batches of {@code batchSize}.
   */
  public static Evaluation evaluate(Model model, Dataset data, int batchSize) {
    return evaluate(model, data, batchSize, model.metrics());
  }

  /**
   * The mean loss and the named metrics (Keras' names, see {@link Metric}) of {@code model} over
   * {@code data}, in inference mode, in batches of {@code batchSize}.
   *
   * @throws IllegalArgumentException for a metric unknown or not fitting the model's loss
   */
  public static Evaluation evaluate(Model model, Dataset data, int batchSize, List<String> metricNames) {
    checkBatchSize(model, batchSize);
    MetricSet metrics = MetricSet.of(model, metricNames);
    Dataset fitted = nonEmpty(Datasets.forModel(model, data));
    float[] x = new float[batchSize * fitted.featureSize()];
    float[] y = new float[batchSize * fitted.targetSize()];
    for (int first = 0; first < fitted.size(); first += batchSize) {
      int n = Math.min(batchSize, fitted.size() - first);
      for (int row = 0; row < n; row++) fitted.copyRow(first + row, x, y, row);
      metrics.update(model.evaluate(x, y, n), model.output(), y, n);
    }
    return metrics.evaluation();
  }

  /**
   * The model's outputs for the {@code n} samples in {@code x} (row-major, {@code n * inputSize()}
   * floats), as {@code n * outputSize()} floats; any {@code n}, run in chunks of {@link Model#maxBatch()}.
   */
  public static float[] predict(Model model, float[] x, int n) {
    int in = model.inputSize();
    int outs = model.outputSize();
    if (n < 0 || x.length < (long) n * in) {
      throw new IllegalArgumentException(n + " samples need " + (long) n * in + " floats, x has " + x.length);
    }
    float[] result = new float[n * outs];
    float[] chunk = n <= model.maxBatch() ? x : new float[model.maxBatch() * in];
    for (int first = 0; first < n; first += model.maxBatch()) {
      int count = Math.min(model.maxBatch(), n - first);
      if (chunk != x) System.arraycopy(x, first * in, chunk, 0, count * in);
      model.predict(chunk, count);
      System.arraycopy(model.output(), 0, result, first * outs, count * outs);
    }
    return result;
  }

  private static void checkBatchSize(Model model, int batchSize) {
    if (batchSize < 1 || batchSize > model.maxBatch()) {
      throw new IllegalArgumentException("batch size " + batchSize + " is not between 1 and model "
          + model.name() + "'s maximum batch of " + model.maxBatch());
    }
  }

  private static Dataset nonEmpty(Dataset data) {
    if (data.size() == 0) throw new NncDataException(data.description() + ": no samples");
    return data;
  }
}
