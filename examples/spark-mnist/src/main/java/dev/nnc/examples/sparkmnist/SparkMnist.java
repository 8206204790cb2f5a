package dev.nnc.examples.sparkmnist;

import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.MnistData;
import dev.nnc.runtime.NncDataException;
import dev.nnc.spark.ModelSourceException;
import dev.nnc.spark.NncEstimator;
import dev.nnc.spark.NncSparkModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Trains the MNIST example model on Spark with {@code NncEstimator}: the model's source is compiled
 * on the driver and shipped to the executors, MNIST's 60,000 training rows are spread over the
 * partitions, the 10,000 test rows ride along as validation rows (evaluated after every epoch), and
 * the fitted model scores the test set and saves its weights as nnc's {@code .npz}.
 *
 * <pre>
 * SparkMnist [--master URL] [--data DIR] [--model FILE.nn] [--mode sync|average] [--average-every K]
 *            [--epochs N] [--batch N] [--partitions P] [--no-shuffle] [--save FILE.npz]
 * </pre>
 *
 * Without {@code --master} the master comes from spark-submit, else {@code local[2]}. Without
 * {@code --data}, MNIST comes from {@code $NNC_DATA/mnist}, else from nnc's per-user cache.
 */
public final class SparkMnist {
  private static final String USAGE = "usage: SparkMnist [--master URL] [--data DIR] [--model FILE.nn]"
      + " [--mode sync|average] [--average-every K] [--epochs N] [--batch N] [--partitions P] [--no-shuffle]"
      + " [--save FILE.npz]";

  private static final StructType SCHEMA = new StructType()
      .add("features", SQLDataTypes.VectorType(), false)
      .add("label", DataTypes.DoubleType, false)
      .add("isTest", DataTypes.BooleanType, false);

  private SparkMnist() {}

  public static void main(String[] args) throws IOException {
    String master = null;
    Path data = null;
    Path modelFile = null;
    Path save = Path.of("spark-mnist-weights.npz");
    String mode = "average";
    Integer every = null;
    Integer epochs = null;
    Integer batch = null;
    Integer partitions = null;
    boolean shuffle = true;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--master" -> master = value(args, ++i);
          case "--data" -> data = Path.of(value(args, ++i));
          case "--model" -> modelFile = Path.of(value(args, ++i));
          case "--mode" -> mode = value(args, ++i);
          case "--average-every" -> every = Integer.parseInt(value(args, ++i));
          case "--epochs" -> epochs = Integer.parseInt(value(args, ++i));
          case "--batch" -> batch = Integer.parseInt(value(args, ++i));
          case "--partitions" -> partitions = Integer.parseInt(value(args, ++i));
          case "--no-shuffle" -> shuffle = false;
          case "--save" -> save = Path.of(value(args, ++i));
          case "-h", "--help" -> {
            System.out.println(USAGE);
            return;
          }
          default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
        }
      }
    } catch (IllegalArgumentException e) { // NumberFormatException included
      System.err.println("spark-mnist: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
    }

    SparkSession.Builder builder = SparkSession.builder().appName("nnc spark-mnist");
    if (master == null && !new org.apache.spark.SparkConf().contains("spark.master")) master = "local[2]";
    if (master != null) builder.master(master);
    // Each training task returns a gradient sum or a model state (1.6 to 3.3 MB for this model): let
    // it travel with the task's status instead of through the block manager, Spark's detour above 1 MB.
    builder.config("spark.task.maxDirectResultSize", "16m");
    if (master != null && master.startsWith("local")) {
      // One JVM: no web UI, and the driver's block transfers (task results over 1 MB) over loopback.
      builder.config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1");
    }
    SparkSession spark = builder.getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    try {
      MnistData.Files mnist = MnistData.locate(data, System.out);
      String source = modelFile == null ? bundledModel() : Files.readString(modelFile, StandardCharsets.UTF_8);
      JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      int slices = partitions != null ? partitions : sc.defaultParallelism();
      List<Row> rows = interleaved(mnist.train(), mnist.test());
      // Checkpointed, so that the tasks of the training jobs do not each carry their partition's rows
      // (a DataFrame made from a local collection keeps them in its partitions; one read from files does not).
      org.apache.spark.sql.Dataset<Row> frame = spark.createDataFrame(sc.parallelize(rows, slices), SCHEMA).localCheckpoint();

      NncEstimator estimator = new NncEstimator()
          .setModelSource(source).setModelSourceName(modelFile == null ? "mnist.nn" : modelFile.getFileName().toString())
          .setValidationIndicatorCol("isTest").setMode(mode).setShuffle(shuffle);
      if (every != null) estimator.setAverageEvery(every);
      if (epochs != null) estimator.setEpochs(epochs);
      if (batch != null) estimator.setBatchSize(batch);
      long start = System.nanoTime();
      NncSparkModel model = estimator.fit(frame);
      double seconds = (System.nanoTime() - start) / 1e9;

      org.apache.spark.sql.Dataset<Row> test = frame.filter(functions.col("isTest"));
      long correct = model.transform(test).filter(functions.col("prediction").equalTo(functions.col("label"))).count();
      System.out.printf(Locale.ROOT, "fit: %.1f s; test accuracy: %.4f%n", seconds, correct / (double) test.count());
      model.saveWeights(save.toString());
      System.out.println("weights saved to " + save);
    } catch (NncDataException | ModelSourceException e) {
      System.err.println("spark-mnist: " + e.getMessage());
      System.exit(1);
    } finally {
      spark.stop();
    }
  }

  /** The MNIST example's model source, packaged with this example. */
  private static String bundledModel() throws IOException {
    try (InputStream in = SparkMnist.class.getResourceAsStream("/mnist.nn")) {
      if (in == null) throw new IOException("mnist.nn is not packaged with the example");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Every sample as (features: a sparse vector of the pixels in [0, 1], label, isTest), the test
   * rows spread evenly among the training rows, so that every partition holds both, as real data would.
   */
  private static List<Row> interleaved(Dataset train, Dataset test) {
    List<Row> rows = new ArrayList<>(train.size() + test.size());
    int t = 0;
    for (int i = 0; i < train.size(); i++) {
      rows.add(row(train, i, false));
      while (t < test.size() && (long) t * train.size() <= (long) i * test.size()) rows.add(row(test, t++, true));
    }
    while (t < test.size()) rows.add(row(test, t++, true));
    return rows;
  }

  private static Row row(Dataset data, int i, boolean isTest) {
    double[] x = new double[data.featureSize()];
    for (int k = 0; k < x.length; k++) x[k] = data.feature(i, k);
    return RowFactory.create(Vectors.dense(x).compressed(), (double) data.target(i, 0), isTest);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) throw new IllegalArgumentException(args[i - 1] + " needs a value");
    return args[i];
  }
}
