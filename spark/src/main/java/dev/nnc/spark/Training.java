package dev.nnc.spark;

import dev.nnc.runtime.AccuracyRule;
import dev.nnc.runtime.Evaluation;
import dev.nnc.runtime.History;
import dev.nnc.runtime.LogFormat;
import dev.nnc.runtime.Model;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * One fit's driver-side state, shared by both modes: the cached blocks, the broadcast model code,
 * the driver's own model (which holds the trained parameters), the options, and the per-epoch
 * report.
 */
final class Training {
  /** How deep treeAggregate's tree is: partitions' results are combined in rounds of about sqrt(P). */
  static final int TREE_DEPTH = 2;

  /** What {@code fit} asked for, with the model's defaults filled in. */
  record Options(int epochs, int batchSize, long seed, boolean shuffle, int averageEvery, boolean verbose) {}

  /** One epoch's measurements, for the report and for callers that compare modes. */
  record EpochTiming(int epoch, double seconds, long samples, int jobs) {}

  final JavaSparkContext sc;
  final JavaRDD<PartitionBlock> blocks;
  final int[] trainRows;
  final long validationRows;
  final Broadcast<ModelCode> code;
  final Model model;
  final Options options;
  final boolean accuracy;
  final PrintStream out;
  final History history;
  final List<EpochTiming> timings = new ArrayList<>();

  Training(JavaSparkContext sc, JavaRDD<PartitionBlock> blocks, int[] trainRows, long validationRows,
      Broadcast<ModelCode> code, Model model, Options options, PrintStream out) {
    this.sc = sc;
    this.blocks = blocks;
    this.trainRows = trainRows;
    this.validationRows = validationRows;
    this.code = code;
    this.model = model;
    this.options = options;
    this.accuracy = tracksAccuracy(model);
    this.out = out;
    this.history = new History();
  }

  /** Accuracy when the model's source names it ({@code metrics accuracy;}); the other metrics are not tracked here. */
  static boolean tracksAccuracy(Model model) {
    return model.metrics().contains("accuracy");
  }

  long trainingRows() {
    long n = 0;
    for (int r : trainRows) n += r;
    return n;
  }

  /** The model with the broadcast parameters, evaluated on every validation row; one job, or none without any. */
  Evaluation validate(Broadcast<ModelState> parameters) {
    if (validationRows == 0) return null;
    Totals t = blocks.treeAggregate(Totals.empty(), new Validate(code, parameters), Totals::merge, TREE_DEPTH);
    return accuracy ? new Evaluation(t.meanLoss(), t.accuracy()) : new Evaluation(t.meanLoss(), Map.of());
  }

  /** Records an epoch in the history and prints it on the driver, as Keras' per-epoch line with the job's costs. */
  void endEpoch(int epoch, Totals trained, Evaluation validation, long nanos, int jobs) {
    Map<String, Double> logs = new LinkedHashMap<>();
    if (accuracy) logs.put("accuracy", trained.accuracy());
    logs.put("loss", trained.meanLoss());
    if (validation != null) logs.putAll(validation.logs("val_"));
    history.add(logs);
    double seconds = nanos / 1e9;
    timings.add(new EpochTiming(epoch, seconds, trained.rows, jobs));
    if (!options.verbose()) return;
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "Epoch %d/%d - %d samples in %.1f s (%.0f samples/s, %d jobs)",
        epoch + 1, options.epochs(), trained.rows, seconds, trained.rows / seconds, jobs));
    if (accuracy) line.append(" - accuracy: ").append(LogFormat.value(trained.accuracy()));
    line.append(" - loss: ").append(LogFormat.value(trained.meanLoss()));
    if (validation != null) {
      if (accuracy) line.append(" - val_accuracy: ").append(LogFormat.value(validation.accuracy()));
      line.append(" - val_loss: ").append(LogFormat.value(validation.loss()));
    }
    out.println(line);
  }

  /** Makes the borrowed model hold the broadcast parameters, unless it holds them already. */
  static void load(ExecutorModels.Instance instance, Broadcast<ModelState> state) {
    if (instance.stateId != state.id()) {
      state.value().writeTo(instance.model);
      instance.stateId = state.id();
    }
  }

  /** Evaluates a partition's validation rows in inference mode, a batch at a time. */
  static final class Validate implements Function2<Totals, PartitionBlock, Totals> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<ModelCode> code;
    private final Broadcast<ModelState> parameters;

    Validate(Broadcast<ModelCode> code, Broadcast<ModelState> parameters) {
      this.code = code;
      this.parameters = parameters;
    }

    @Override
    public Totals call(Totals totals, PartitionBlock block) {
      if (block.validationRows == 0) return totals;
      ModelCode modelCode = code.value();
      ExecutorModels.Instance instance = ExecutorModels.borrow(modelCode);
      try {
        load(instance, parameters);
        Model model = instance.model;
        AccuracyRule rule = AccuracyRule.of(model);
        int in = block.inputSize;
        int ts = block.targetSize;
        for (int first = 0; first < block.validationRows; first += model.maxBatch()) {
          int n = Math.min(model.maxBatch(), block.validationRows - first);
          System.arraycopy(block.validationX, first * in, instance.x, 0, n * in);
          System.arraycopy(block.validationY, first * ts, instance.y, 0, n * ts);
          float loss = model.evaluate(instance.x, instance.y, n);
          totals.addBatch(loss, rule.hits(model.output(), instance.y, n, model.outputSize(), ts), n);
        }
        return totals;
      } finally {
        ExecutorModels.release(modelCode, instance);
      }
    }
  }
}
