package dev.nnc.runtime;

import java.io.PrintStream;
import java.util.ArrayList;
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
   * given, as Keras' {@code validation_data} (or on the split {@code options.validationSplit()}
   * cuts off). The data are fitted to the model with {@link Datasets#forModel} first. Progress and
   * the callbacks' lines go to {@code out} when {@code options.verbose()}. With
   * {@code options.resume()}, the run goes on from its checkpoint's epoch to {@code options.epochs()}
   * exactly as it would have gone on without the break; {@code options.checkpoint()} and
   * {@code options.historyFile()} are written after every epoch.
   *
   * @throws NncDataException if a data set does not fit the model or is empty, or the checkpoint to
   *     resume from is not one of this model's
   * @throws TrainingDivergedException with {@code options.terminateOnNaN()}, as soon as a step's loss
   *     is NaN or infinite; the model's weights are then no use, and the caller should not save them
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
    Dataset data = nonEmpty(Datasets.forModel(model, train));
    Dataset check = validation == null ? null : nonEmpty(Datasets.forModel(model, validation));
    if (options.validationSplit() > 0) {
      if (check != null) throw new IllegalArgumentException("validation_split and validation data are alternatives; give one");
      Dataset[] split = validationSplit(data, options.validationSplit());
      data = split[0];
      check = split[1];
    }
    boolean live = options.display() == FitOptions.Display.LIVE
        || (options.display() == FitOptions.Display.AUTO && System.console() != null);
    ProgressBar progress = options.verbose() ? new ProgressBar(out, live, clock) : null;
    List<FitCallback> callbacks = new ArrayList<>();
    callbacks.add(callback);
    callbacks.addAll(options.callbacks());
    PrintStream messages = options.verbose() ? out : new PrintStream(java.io.OutputStream.nullOutputStream());
    return new EpochLoop(model, data, options, progress, callbacks, messages).run(check);
  }

  /**
   * Keras' {@code validation_split}: the first {@code floor(n * (1 - split))} samples train, the rest
   * validate, cut before any shuffling; {@code [0]} is the training part, {@code [1]} the validation
   * part, as {@link #fit} cuts them for {@link FitOptions#validationSplit()}.
   *
   * @throws NncDataException if either part would be empty
   */
  public static Dataset[] validationSplit(Dataset data, double split) {
    int splitAt = (int) Math.floor(data.size() * (1.0 - split));
    if (splitAt == 0 || splitAt == data.size()) {
      throw new NncDataException(data.description() + ": validation_split " + split + " of " + data.size()
          + " samples leaves " + (splitAt == 0 ? "no training" : "no validation") + " samples");
    }
    return new Dataset[] {
        data.slice(0, splitAt).describedAs(data.description() + " [0, " + splitAt + ")"),
        data.slice(splitAt, data.size()).describedAs(data.description() + " [" + splitAt + ", " + data.size() + ")")};
  }

  /** The state of one {@code fit}: the buffers a step fills, allocated once, and the running means. */
  private static final class EpochLoop implements FitCallback.Fit {
    private final Model model;
    private final Dataset data;
    private final FitOptions options;
    private final ProgressBar progress;
    private final List<FitCallback> callbacks;
    private final PrintStream messages;
    private final MetricSet metrics;
    private final GradientAccumulator accumulator;
    private final int chunk;
    private final float[] x;
    private final float[] y;
    private final boolean logsLearningRate;
    private boolean stopTraining;
    /** The data's pairs of features, once a step for a model that takes them has asked for them. */
    private PackedPairs pairs;
    private final Supplier<Map<String, Double>> runningLogs = () -> logs(null);

    EpochLoop(Model model, Dataset data, FitOptions options, ProgressBar progress, List<FitCallback> callbacks,
        PrintStream messages) {
      this.model = model;
      this.data = data;
      this.options = options;
      this.progress = progress;
      this.callbacks = callbacks;
      this.messages = messages;
      this.metrics = MetricSet.of(model, options.metrics());
      // A batch bigger than the model's workspaces runs in chunks whose gradients add up to one step.
      this.chunk = Math.min(options.batchSize(), model.maxBatch());
      this.accumulator = options.batchSize() > model.maxBatch() ? new GradientAccumulator(model) : null;
      this.x = new float[chunk * data.featureSize()];
      this.y = new float[chunk * data.targetSize()];
      this.logsLearningRate = options.schedule() != null
          || callbacks.stream().anyMatch(FitCallback::changesLearningRate);
    }

    @Override
    public Model model() {
      return model;
    }

    @Override
    public PrintStream out() {
      return messages;
    }

    @Override
    public void stopTraining() {
      stopTraining = true;
    }

    History run(Dataset validation) {
      History history = new History(List.copyOf(logs(validation == null ? null : emptyEvaluation()).keySet()));
      long seed = options.seed();
      int initialEpoch = 0;
      TrainingState resumed = null;
      if (options.resume() != null) {
        resumed = TrainingState.read(options.resume());
        seed = resumed.longScalar("fit/seed");
        initialEpoch = (int) resumed.longScalar("fit/epoch");
        if ((resumed.longScalar("fit/shuffle") != 0) != options.shuffle()) {
          throw new NncDataException(options.resume() + ": the run it continues " + (options.shuffle() ? "did not shuffle" : "shuffled")
              + "; resume it with the same shuffling");
        }
        Checkpoints.restore(resumed, model, history, callbacks);
      }
      EpochOrder order = new EpochOrder(data.size(), seed, options.shuffle());
      // The shuffling generator's state at the start of the next epoch: that of the finished epochs, replayed.
      for (int e = 0; e < initialEpoch; e++) order.next();
      int batch = options.batchSize();
      int steps = (data.size() + batch - 1) / batch;
      for (FitCallback c : callbacks) c.onTrainBegin(this);
      Map<String, Double> lastLogs = Map.of();
      for (int epoch = initialEpoch; epoch < options.epochs() && !stopTraining; epoch++) {
        for (FitCallback c : callbacks) c.onEpochBegin(epoch);
        if (progress != null) progress.startEpoch(epoch + 1, options.epochs(), steps);
        int[] samples = order.next();
        metrics.reset();
        for (int step = 0; step < steps; step++) {
          int first = step * batch;
          int n = Math.min(batch, data.size() - first);
          if (options.schedule() != null) model.setLearningRate(options.schedule().at(model.iterations()));
          float loss = accumulator == null ? chunkStep(samples, first, n) : accumulatedStep(samples, first, n);
          if (!Float.isFinite(loss) && options.terminateOnNaN()) {
            // As Keras' TerminateOnNaN: every later step would only spread the NaN through the weights.
            if (progress != null) progress.interrupt();
            throw new TrainingDivergedException(loss, epoch + 1, step + 1, steps);
          }
          if (progress != null) progress.step(step + 1, runningLogs);
          if (options.stop() != null && options.stop().get() && step + 1 < steps) {
            if (progress != null) progress.interrupt();
            messages.println("Interrupted at epoch " + (epoch + 1) + ", step " + (step + 1) + "/" + steps
                + ": training stopped; epoch " + (epoch + 1) + " is not recorded");
            for (FitCallback c : callbacks) c.onTrainEnd(lastLogs);
            return history;
          }
        }
        Evaluation val = validation == null ? null : evaluate(model, validation, batch, options.metrics());
        Map<String, Double> logs = logs(val);
        history.add(logs);
        if (options.historyFile() != null) history.writeCsv(options.historyFile());
        if (progress != null) progress.endEpoch(logs);
        Map<String, Double> readOnly = java.util.Collections.unmodifiableMap(logs);
        for (FitCallback c : callbacks) c.onEpochEnd(epoch, readOnly);
        lastLogs = readOnly;
        if (options.checkpoint() != null) {
          Checkpoints.write(options.checkpoint(), model, epoch + 1, seed, options.shuffle(), history, callbacks);
        }
        if (options.stop() != null && options.stop().get()) {
          messages.println("Interrupted after epoch " + (epoch + 1) + ": training stopped");
          break;
        }
      }
      for (FitCallback c : callbacks) c.onTrainEnd(lastLogs);
      return history;
    }

    /** One optimizer step on samples {@code first..first+n} of the epoch's order, {@code n <= maxBatch}. */
    private float chunkStep(int[] samples, int first, int n) {
      float loss;
      if (data.hasByteFeatures()) {
        // The model reads the batch's bytes itself (see Model.trainStepOnBytes), or their lists of non-zero bytes:
        // no floats are copied for it.
        for (int row = 0; row < n; row++) data.copyTargets(samples[first + row], y, row);
        PackedBytes packed = data.packedBytes();
        try {
          if (packed != null && model.takesPackedPairs()) {
            if (pairs == null) pairs = data.packedPairs();
            loss = model.trainStepOnPackedPairs(pairs.entries(), pairs.starts(), data.byteValueTable(), samples, first, n, x, y);
          } else if (packed != null) {
            loss = model.trainStepOnPackedBytes(packed.packed(), packed.starts(), data.byteValueTable(), samples, first, n, x, y);
          } else {
            loss = model.trainStepOnBytes(data.byteArray(), data.byteValueTable(), samples, first, n, x, y);
          }
        } catch (IllegalArgumentException e) {
          throw listsRefused(data, e);
        }
      } else {
        for (int row = 0; row < n; row++) data.copyRow(samples[first + row], x, y, row);
        loss = model.trainStep(x, y, n);
      }
      metrics.update(loss, model.output(), y, n);
      return loss;
    }

    /**
     * One optimizer step on {@code n > maxBatch} samples: the gradients of chunks of at most
     * {@code maxBatch}, each a mean over its chunk, weighted by their sizes into the mean over all
     * {@code n}, then one step; the loss likewise.
     */
    private float accumulatedStep(int[] samples, int first, int n) {
      accumulator.clear();
      double loss = 0;
      for (int from = 0; from < n; from += chunk) {
        int m = Math.min(chunk, n - from);
        for (int row = 0; row < m; row++) data.copyRow(samples[first + from + row], x, y, row);
        float chunkLoss = model.computeGradients(x, y, m);
        metrics.update(chunkLoss, model.output(), y, m);
        loss += (double) chunkLoss * m;
        accumulator.add((double) m / n);
      }
      accumulator.apply();
      return (float) (loss / n);
    }

    /**
     * Keras' log names and order: the training values sorted by name (accuracy, learning_rate when a
     * schedule or callback changes it, loss), then the validation ones (val_accuracy, val_loss).
     */
    private Map<String, Double> logs(Evaluation validation) {
      Map<String, Double> training = new java.util.TreeMap<>(metrics.logs(""));
      if (logsLearningRate) {
        float rate = options.schedule() != null ? options.schedule().at(model.iterations()) : model.learningRate();
        training.put("learning_rate", (double) rate);
      }
      Map<String, Double> logs = new LinkedHashMap<>(training);
      if (validation != null) logs.putAll(validation.logs("val_"));
      return logs;
    }

    /** An evaluation with every metric, to name the validation series before there are values. */
    private Evaluation emptyEvaluation() {
      return metrics.evaluation();
    }
  }

  /** Sums the gradients of a step's chunks, weighted, in double, then hands the sum to the model for one step. */
  private static final class GradientAccumulator {
    private final Model model;
    private final List<Model.Tensor> tensors;
    private final double[][] sums;
    private final float[][] scratch;

    GradientAccumulator(Model model) {
      this.model = model;
      this.tensors = model.parameters();
      this.sums = new double[tensors.size()][];
      this.scratch = new float[tensors.size()][];
      for (int i = 0; i < tensors.size(); i++) {
        sums[i] = new double[tensors.get(i).size()];
        scratch[i] = new float[tensors.get(i).size()];
      }
    }

    void clear() {
      for (double[] sum : sums) java.util.Arrays.fill(sum, 0);
    }

    void add(double weight) {
      for (int i = 0; i < sums.length; i++) {
        model.readGradient(tensors.get(i).name(), scratch[i]);
        for (int j = 0; j < scratch[i].length; j++) sums[i][j] += weight * scratch[i][j];
      }
    }

    void apply() {
      for (int i = 0; i < sums.length; i++) {
        for (int j = 0; j < scratch[i].length; j++) scratch[i][j] = (float) sums[i][j];
        model.writeGradient(tensors.get(i).name(), scratch[i]);
      }
      model.applyGradients();
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
   * A model's refusal of the samples' own lists (a feature or pair past the input, say), which nnc made
   * itself when it read the data: a data error, naming the data, since only a damaged or foreign copy of
   * them kept in nnc's cache can hold such lists.
   */
  private static NncDataException listsRefused(Dataset data, IllegalArgumentException e) {
    return new NncDataException(data.description() + ": " + e.getMessage()
        + " (a damaged copy of the data in nnc's cache? deleting the cache folder's inflated/ makes it anew)", e);
  }

  /**
   * The mean loss and the named metrics (Keras' names, see {@link Metric}) of {@code model} over
   * {@code data}, in inference mode, in batches of {@code batchSize}.
   *
   * @throws IllegalArgumentException for a metric unknown or not fitting the model's loss
   */
  public static Evaluation evaluate(Model model, Dataset data, int batchSize, List<String> metricNames) {
    if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
    MetricSet metrics = MetricSet.of(model, metricNames);
    // Inference is per sample, so a batch bigger than the model's workspaces runs in chunks.
    int chunk = Math.min(batchSize, model.maxBatch());
    Dataset fitted = nonEmpty(Datasets.forModel(model, data));
    float[] x = new float[chunk * fitted.featureSize()];
    float[] y = new float[chunk * fitted.targetSize()];
    // Byte samples go to the model as bytes, as the training steps give them, so that evaluation takes the code
    // paths that training compiled (decoded to floats here, the MNIST test set took 0.05 s instead of 0.01).
    int[] samples = fitted.hasByteFeatures() ? new int[chunk] : null;
    PackedBytes packed = fitted.hasByteFeatures() ? fitted.packedBytes() : null;
    PackedPairs pairs;
    try {
      pairs = packed != null && model.takesPackedPairs() ? fitted.packedPairs() : null;
    } catch (IllegalArgumentException e) {
      throw listsRefused(fitted, e);
    }
    for (int first = 0; first < fitted.size(); first += chunk) {
      int n = Math.min(chunk, fitted.size() - first);
      float loss;
      if (samples != null) {
        for (int row = 0; row < n; row++) {
          samples[row] = first + row;
          fitted.copyTargets(first + row, y, row);
        }
        try {
          if (pairs != null) {
            loss = model.evaluateOnPackedPairs(pairs.entries(), pairs.starts(), fitted.byteValueTable(), samples, 0, n, x, y);
          } else if (packed != null) {
            loss = model.evaluateOnPackedBytes(packed.packed(), packed.starts(), fitted.byteValueTable(), samples, 0, n, x, y);
          } else {
            loss = model.evaluateOnBytes(fitted.byteArray(), fitted.byteValueTable(), samples, 0, n, x, y);
          }
        } catch (IllegalArgumentException e) {
          throw listsRefused(fitted, e);
        }
      } else {
        for (int row = 0; row < n; row++) fitted.copyRow(first + row, x, y, row);
        loss = model.evaluate(x, y, n);
      }
      metrics.update(loss, model.output(), y, n);
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

  private static Dataset nonEmpty(Dataset data) {
    if (data.size() == 0) throw new NncDataException(data.description() + ": no samples");
    return data;
  }
}
