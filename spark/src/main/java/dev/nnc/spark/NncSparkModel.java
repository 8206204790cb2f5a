package dev.nnc.spark;

import dev.nnc.runtime.History;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.Weights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * A trained nnc model as a Spark ML {@code Transformer}: {@link #transform} adds a prediction and a
 * probability column, scoring each partition a batch at a time with the generated class.
 * {@link #saveWeights} writes the same {@code .npz} as {@code nnc train --save}; {@link #write()}
 * saves it as Spark ML persistence does (params as metadata, parameters as Parquet), and
 * {@link #load} reads it back, compiling the model source again.
 */
public class NncSparkModel extends org.apache.spark.ml.Model<NncSparkModel> implements MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final Param<String> modelSource;
  private final Param<String> modelSourceName;
  private final Param<String> modelClass;
  private final Param<String> featuresCol;
  private final Param<String> predictionCol;
  private final Param<String> probabilityCol;
  private final Param<String> kernels;

  /** The code the model runs with, and its parameters in Keras layout; driver-side, shipped only as broadcasts. */
  private final transient ModelCode code;
  private final transient ModelState parameters;
  private final transient History history;
  private final transient List<Training.EpochTiming> timings;

  NncSparkModel(String uid, ModelCode code, ModelState parameters, History history, List<Training.EpochTiming> timings) {
    this.uid = uid;
    this.code = code;
    this.parameters = parameters;
    this.history = history;
    this.timings = List.copyOf(timings);
    modelSource = NncParams.modelSource(this);
    modelSourceName = NncParams.modelSourceName(this);
    modelClass = NncParams.modelClass(this);
    featuresCol = NncParams.featuresCol(this);
    predictionCol = NncParams.predictionCol(this);
    probabilityCol = NncParams.probabilityCol(this);
    kernels = NncParams.kernels(this);
    setDefault(modelSourceName, "model.nn");
    setDefault(featuresCol, "features");
    setDefault(predictionCol, "prediction");
    setDefault(probabilityCol, "probability");
    setDefault(kernels, NncParams.AUTO);
  }

  @Override
  public String uid() {
    return uid;
  }

  public Param<String> modelSource() { return modelSource; }
  public Param<String> modelSourceName() { return modelSourceName; }
  public Param<String> modelClass() { return modelClass; }
  public Param<String> featuresCol() { return featuresCol; }
  public Param<String> predictionCol() { return predictionCol; }
  public Param<String> probabilityCol() { return probabilityCol; }
  public Param<String> kernels() { return kernels; }

  public NncSparkModel setFeaturesCol(String value) { set(featuresCol, value); return this; }
  public NncSparkModel setPredictionCol(String value) { set(predictionCol, value); return this; }
  public NncSparkModel setProbabilityCol(String value) { set(probabilityCol, value); return this; }

  /** Loss and metrics per epoch of the fit that made this model (empty for a loaded model). */
  public History history() {
    return history;
  }

  /** Each epoch's wall-clock seconds, samples and Spark jobs, as the fit printed them (empty for a loaded model). */
  public List<Training.EpochTiming> epochTimings() {
    return timings;
  }

  /** The trained parameters in Keras layout, by Keras name ({@code dense_1/kernel} {@code [in, out]}). */
  public Map<String, float[]> parameters() {
    Map<String, float[]> byName = new java.util.LinkedHashMap<>();
    List<Model.Tensor> tensors = code.newInstance().parameters();
    for (int i = 0; i < tensors.size(); i++) byName.put(tensors.get(i).name(), parameters.parameters[i].clone());
    return byName;
  }

  /** Writes the parameters to a {@code .npz} on the driver's file system, as {@code nnc train --save} does. */
  public void saveWeights(String file) {
    Model model = code.newInstance();
    parameters.writeTo(model);
    Weights.save(model, Path.of(file));
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    StructType schema = transformSchema(dataset.schema(), false);
    Dataset<Row> rows = dataset.toDF();
    SparkSession spark = rows.sparkSession();
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    // Released by Spark's cleaner once the returned Dataset and its plan are gone.
    Broadcast<ModelCode> sharedCode = sc.broadcast(code);
    Broadcast<ModelState> sharedParameters = sc.broadcast(parameters);
    int featuresIndex = rows.schema().fieldIndex(getOrDefault(featuresCol));
    JavaRDD<Row> scored = rows.toJavaRDD().mapPartitions(new Predict(sharedCode, sharedParameters, featuresIndex), true);
    return spark.createDataFrame(scored, schema);
  }

  @Override
  public StructType transformSchema(StructType schema) {
    SchemaChecks.requireVector(schema, getOrDefault(featuresCol));
    return SchemaChecks.withOutputs(schema, getOrDefault(predictionCol), getOrDefault(probabilityCol));
  }

  @Override
  public NncSparkModel copy(ParamMap extra) {
    NncSparkModel copy = copyValues(new NncSparkModel(uid, code, parameters, history, timings), extra);
    return copy.setParent(parent());
  }

  // ---- persistence

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  @Override
  public void save(String path) throws IOException {
    write().save(path);
  }

  public static MLReader<NncSparkModel> read() {
    return new Reader();
  }

  public static NncSparkModel load(String path) {
    return read().load(path);
  }

  /** Spark ML's layout: {@code metadata/} (class, uid, params, as DefaultParamsWriter writes it) and {@code data/} (one row per tensor). */
  private static final class Writer extends MLWriter {
    private final NncSparkModel model;

    Writer(NncSparkModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      DefaultParamsWriter.saveMetadata(model, path, sparkSession());
      List<Row> rows = new ArrayList<>();
      Map<String, float[]> byName = model.parameters();
      List<Model.Tensor> tensors = model.code.newInstance().parameters();
      for (Model.Tensor t : tensors) {
        float[] values = byName.get(t.name());
        Float[] boxed = new Float[values.length];
        for (int i = 0; i < values.length; i++) boxed[i] = values[i];
        rows.add(RowFactory.create(t.name(), Arrays.stream(t.shape()).boxed().toArray(Integer[]::new), boxed));
      }
      sparkSession().createDataFrame(rows, DATA_SCHEMA).repartition(1).write().parquet(path + "/data");
    }
  }

  private static final StructType DATA_SCHEMA = new StructType()
      .add("name", DataTypes.StringType, false)
      .add("shape", DataTypes.createArrayType(DataTypes.IntegerType, false), false)
      .add("values", DataTypes.createArrayType(DataTypes.FloatType, false), false);

  /** Reads what {@link Writer} wrote: the params, then the model compiled again from its source (or its class), then the parameters. */
  private static final class Reader extends MLReader<NncSparkModel> {
    @Override
    public NncSparkModel load(String path) {
      DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sparkSession());
      NncSparkModel withParams = new NncSparkModel(metadata.uid(), null, null, null, List.of());
      metadata.getAndSetParams(withParams, Option.empty());
      String source = withParams.isDefined(withParams.modelSource) ? withParams.getOrDefault(withParams.modelSource) : null;
      String className = withParams.isDefined(withParams.modelClass) ? withParams.getOrDefault(withParams.modelClass) : null;
      // Scoring runs on executors whose modules are not known here: "auto" means the kernels every JVM runs.
      String kernels = withParams.getOrDefault(withParams.kernels);
      ModelSetup setup = ModelSetup.of(source, withParams.getOrDefault(withParams.modelSourceName), className,
          kernels, OptionalInt.empty());
      ModelCode code = setup.codeFor(false);
      Model model = code.newInstance();
      Map<String, Row> rows = new HashMap<>();
      for (Row row : sparkSession().read().parquet(path + "/data").collectAsList()) rows.put(row.getString(0), row);
      for (Model.Tensor t : model.parameters()) {
        Row row = rows.get(t.name());
        if (row == null) throw new IllegalArgumentException(path + ": no parameter " + t.name() + " in data/");
        List<Float> values = row.getList(2);
        if (values.size() != t.size()) {
          throw new IllegalArgumentException(path + ": parameter " + t.name() + " has " + values.size()
              + " values; the model needs " + t.size());
        }
        float[] floats = new float[values.size()];
        for (int i = 0; i < floats.length; i++) floats[i] = values.get(i);
        model.writeParameter(t.name(), floats);
      }
      NncSparkModel loaded = new NncSparkModel(metadata.uid(), code, ModelState.read(model, false),
          new History(), List.of());
      return withParams.copyValues(loaded, ParamMap.empty());
    }
  }
}
