package dev.nnc.spark;

import dev.nnc.compiler.Kernels;
import dev.nnc.runtime.Model;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * A Spark ML estimator that trains an nnc model data-parallel on the rows of a {@code Dataset}.
 *
 * <p>The model comes from its source ({@link #setModelSource}), which is compiled on the driver and
 * shipped to the executors as bytecode (no build step), or from a generated class on the class path
 * ({@link #setModelClass}). The rows' features and labels are cached once as float blocks, one per
 * partition; then {@code sync} mode runs one job per global batch and takes exactly the steps of
 * training on one machine, while {@code average} mode lets each partition train
 * {@code averageEvery} steps on its own rows between two averagings of the parameters and the
 * optimizer state. Each epoch's loss and metrics are printed on the driver.
 */
public class NncEstimator extends Estimator<NncSparkModel> implements MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final Param<String> modelSource;
  private final Param<String> modelSourceName;
  private final Param<String> modelClass;
  private final Param<String> featuresCol;
  private final Param<String> labelCol;
  private final Param<String> predictionCol;
  private final Param<String> probabilityCol;
  private final Param<String> validationIndicatorCol;
  private final IntParam epochs;
  private final IntParam batchSize;
  private final LongParam seed;
  private final BooleanParam shuffle;
  private final Param<String> mode;
  private final IntParam averageEvery;
  private final Param<String> kernels;
  private final BooleanParam verbose;
  /** Where progress goes; the driver's standard output unless a caller (a test) says otherwise. Not a param. */
  private transient PrintStream out = System.out;

  public NncEstimator() {
    this(Identifiable.randomUID("nnc"));
  }

  public NncEstimator(String uid) {
    this.uid = uid;
    modelSource = NncParams.modelSource(this);
    modelSourceName = NncParams.modelSourceName(this);
    modelClass = NncParams.modelClass(this);
    featuresCol = NncParams.featuresCol(this);
    labelCol = NncParams.labelCol(this);
    predictionCol = NncParams.predictionCol(this);
    probabilityCol = NncParams.probabilityCol(this);
    validationIndicatorCol = NncParams.validationIndicatorCol(this);
    epochs = NncParams.epochs(this);
    batchSize = NncParams.batchSize(this);
    seed = NncParams.seed(this);
    shuffle = NncParams.shuffle(this);
    mode = NncParams.mode(this);
    averageEvery = NncParams.averageEvery(this);
    kernels = NncParams.kernels(this);
    verbose = NncParams.verbose(this);
    setDefault(modelSourceName, "model.nn");
    setDefault(featuresCol, "features");
    setDefault(labelCol, "label");
    setDefault(predictionCol, "prediction");
    setDefault(probabilityCol, "probability");
    setDefault(shuffle, true);
    setDefault(mode, NncParams.SYNC);
    setDefault(averageEvery, 16);
    setDefault(kernels, NncParams.AUTO);
    setDefault(verbose, true);
  }

  @Override
  public String uid() {
    return uid;
  }

  // ---- params: Spark finds them through these public no-argument methods

  public Param<String> modelSource() { return modelSource; }
  public Param<String> modelSourceName() { return modelSourceName; }
  public Param<String> modelClass() { return modelClass; }
  public Param<String> featuresCol() { return featuresCol; }
  public Param<String> labelCol() { return labelCol; }
  public Param<String> predictionCol() { return predictionCol; }
  public Param<String> probabilityCol() { return probabilityCol; }
  public Param<String> validationIndicatorCol() { return validationIndicatorCol; }
  public IntParam epochs() { return epochs; }
  public IntParam batchSize() { return batchSize; }
  public LongParam seed() { return seed; }
  public BooleanParam shuffle() { return shuffle; }
  public Param<String> mode() { return mode; }
  public IntParam averageEvery() { return averageEvery; }
  public Param<String> kernels() { return kernels; }
  public BooleanParam verbose() { return verbose; }

  public NncEstimator setModelSource(String value) { set(modelSource, value); return this; }
  public NncEstimator setModelSourceName(String value) { set(modelSourceName, value); return this; }
  public NncEstimator setModelClass(String value) { set(modelClass, value); return this; }
  public NncEstimator setFeaturesCol(String value) { set(featuresCol, value); return this; }
  public NncEstimator setLabelCol(String value) { set(labelCol, value); return this; }
  public NncEstimator setPredictionCol(String value) { set(predictionCol, value); return this; }
  public NncEstimator setProbabilityCol(String value) { set(probabilityCol, value); return this; }
  public NncEstimator setValidationIndicatorCol(String value) { set(validationIndicatorCol, value); return this; }
  public NncEstimator setEpochs(int value) { set(epochs, value); return this; }
  public NncEstimator setBatchSize(int value) { set(batchSize, value); return this; }
  public NncEstimator setSeed(long value) { set(seed, value); return this; }
  public NncEstimator setShuffle(boolean value) { set(shuffle, value); return this; }
  public NncEstimator setMode(String value) { set(mode, value); return this; }
  public NncEstimator setAverageEvery(int value) { set(averageEvery, value); return this; }
  public NncEstimator setKernels(String value) { set(kernels, value); return this; }
  public NncEstimator setVerbose(boolean value) { set(verbose, value); return this; }

  /** Sends the per-epoch lines to {@code stream} instead of standard output. */
  public NncEstimator setProgressStream(PrintStream stream) {
    this.out = stream;
    return this;
  }

  // ---- fit

  @Override
  public NncSparkModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema(), false);
    ModelSetup setup = ModelSetup.of(isDefined(modelSource) ? getOrDefault(modelSource) : null,
        getOrDefault(modelSourceName), isDefined(modelClass) ? getOrDefault(modelClass) : null, getOrDefault(kernels),
        isDefined(batchSize) ? OptionalInt.of(intValue(batchSize)) : OptionalInt.empty());
    boolean hasValidation = isDefined(validationIndicatorCol);
    List<Column> columns = new ArrayList<>(List.of(functions.col(getOrDefault(featuresCol)),
        functions.col(getOrDefault(labelCol))));
    if (hasValidation) columns.add(functions.col(getOrDefault(validationIndicatorCol)).cast("boolean"));
    Model shape = setup.probe();
    int classes = shape.targetKind() == Model.TargetKind.CLASS_INDEX ? shape.outputSize() : 0;
    JavaRDD<PartitionBlock> blocks = dataset.select(columns.toArray(new Column[0])).toJavaRDD()
        .mapPartitionsWithIndex(new PartitionBlock.Builder(shape.inputSize(), shape.targetSize(), classes, hasValidation,
            getOrDefault(featuresCol), getOrDefault(labelCol)), true)
        .persist(StorageLevel.MEMORY_AND_DISK());
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(dataset.sparkSession().sparkContext());
    Broadcast<ModelCode> code = null;
    try {
      List<BlockInfo> infos = new ArrayList<>(blocks.map(new Describe()).collect());
      infos.sort(Comparator.comparingInt(BlockInfo::partition));
      int[] trainRows = checkedRows(infos);
      long validationRows = infos.stream().mapToLong(BlockInfo::validationRows).sum();
      boolean executorsHaveVector = infos.stream().allMatch(BlockInfo::vectorAvailable);
      ModelCode chosen = setup.codeFor(executorsHaveVector);
      code = sc.broadcast(chosen);

      Model model = chosen.newInstance();
      long effectiveSeed = isDefined(seed) ? (Long) getOrDefault(seed) : model.defaultSeed();
      model.initialize(effectiveSeed);
      int batch = isDefined(batchSize) ? intValue(batchSize) : model.defaultBatchSize();
      if (batch > model.maxBatch()) {
        throw new IllegalArgumentException("batch size " + batch + " exceeds model class " + chosen.qualifiedName()
            + "'s maximum batch of " + model.maxBatch() + "; generate it for a larger batch, or use setModelSource");
      }
      Training.Options options = new Training.Options(isDefined(epochs) ? intValue(epochs) : model.defaultEpochs(),
          batch, effectiveSeed, (Boolean) getOrDefault(shuffle), intValue(averageEvery), (Boolean) getOrDefault(verbose));
      Training training = new Training(sc, blocks, trainRows, validationRows, code, model, options, out);
      if (options.verbose()) {
        out.printf(java.util.Locale.ROOT, "Training %s (%s kernels, %s mode) on %d partitions: %d training rows, %d validation rows%n",
            model.name(), chosen.kernels().name().toLowerCase(java.util.Locale.ROOT), getOrDefault(mode), trainRows.length,
            training.trainingRows(), validationRows);
      }
      if (getOrDefault(mode).equals(NncParams.AVERAGE)) {
        AverageTraining.run(training);
      } else {
        SyncTraining.run(training);
      }
      NncSparkModel fitted = new NncSparkModel(uid, chosen, ModelState.read(model, false), training.history,
          training.timings);
      return copyValues(fitted, ParamMap.empty()).setParent(this);
    } finally {
      blocks.unpersist(false);
      if (code != null) code.destroy();
    }
  }

  /** Spark's IntParam is a Param of Object (Scala's Int, erased). */
  private int intValue(IntParam param) {
    return (Integer) getOrDefault(param);
  }

  /** Every partition's training rows, after reporting every partition's problem at once. */
  private static int[] checkedRows(List<BlockInfo> infos) {
    List<String> problems = infos.stream().map(BlockInfo::problem).filter(p -> p != null).toList();
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("the rows do not fit the model:" + System.lineSeparator()
          + String.join(System.lineSeparator(), problems));
    }
    int[] rows = infos.stream().mapToInt(BlockInfo::trainRows).toArray();
    if (rows.length > 0 && infos.get(rows.length - 1).partition() != rows.length - 1) {
      throw new IllegalStateException("partition indices are not 0.." + (rows.length - 1));
    }
    if (java.util.Arrays.stream(rows).asLongStream().sum() == 0) {
      throw new IllegalArgumentException("no training rows (every row is empty or marked for validation)");
    }
    return rows;
  }

  /** What each cached partition holds, and whether its executor can run the Vector API kernels. */
  record BlockInfo(int partition, int trainRows, long validationRows, String problem, boolean vectorAvailable)
      implements Serializable {}

  /** Describes a cached block; runs on the executor that holds it. */
  static final class Describe implements Function<PartitionBlock, BlockInfo> {
    private static final long serialVersionUID = 1L;

    @Override
    public BlockInfo call(PartitionBlock block) {
      return new BlockInfo(block.partition, block.trainRows, block.validationRows, block.problem,
          Kernels.bestAvailable() == Kernels.VECTOR);
    }
  }

  // ---- Spark ML plumbing

  @Override
  public StructType transformSchema(StructType schema) {
    SchemaChecks.requireVector(schema, getOrDefault(featuresCol));
    SchemaChecks.requireColumn(schema, getOrDefault(labelCol));
    if (isDefined(validationIndicatorCol)) SchemaChecks.requireColumn(schema, getOrDefault(validationIndicatorCol));
    return SchemaChecks.withOutputs(schema, getOrDefault(predictionCol), getOrDefault(probabilityCol));
  }

  @Override
  public NncEstimator copy(ParamMap extra) {
    NncEstimator copy = defaultCopy(extra);
    copy.out = out;
    return copy;
  }

  @Override
  public MLWriter write() {
    return new DefaultParamsWriter(this);
  }

  @Override
  public void save(String path) throws IOException {
    write().save(path);
  }

  public static MLReader<NncEstimator> read() {
    return new DefaultParamsReader<>();
  }

  public static NncEstimator load(String path) {
    return read().load(path);
  }
}
