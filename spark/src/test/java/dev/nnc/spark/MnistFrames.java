package dev.nnc.spark;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.MnistData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Real MNIST for the tests, as nnc's Dataset and as Spark rows; skips the test when the shared data are absent. */
final class MnistFrames {
  static final StructType SCHEMA = new StructType()
      .add("features", SQLDataTypes.VectorType(), false)
      .add("label", DataTypes.DoubleType, false);

  private static MnistData.Files files;
  private static Dataset train;
  private static Dataset test;

  private MnistFrames() {}

  /** The four files from {@code nnc.data}/{@code NNC_DATA}; skips the test without them. */
  static synchronized MnistData.Files files() {
    Path root = MnistData.configuredDataDir().orElse(null);
    assumeTrue(root != null, "no data folder: set NNC_DATA (or -Dnnc.data) to the shared data folder");
    assumeTrue(Files.isDirectory(root.resolve("mnist")), "no mnist/ folder in " + root);
    if (files == null) files = MnistData.locate(null, System.out);
    return files;
  }

  static synchronized Dataset train() {
    if (train == null) train = files().train();
    return train;
  }

  static synchronized Dataset test() {
    if (test == null) test = files().test();
    return test;
  }

  /** Rows {@code [from, to)} of {@code data} as (features: sparse vector, label: double), in order. */
  static List<Row> rows(Dataset data, int from, int to) {
    List<Row> rows = new ArrayList<>(to - from);
    int in = data.featureSize();
    for (int i = from; i < to; i++) {
      double[] x = new double[in];
      for (int k = 0; k < in; k++) x[k] = data.feature(i, k);
      rows.add(RowFactory.create(Vectors.dense(x).compressed(), (double) data.target(i, 0)));
    }
    return rows;
  }

  /**
   * The rows as a DataFrame of {@code partitions} contiguous slices, in order, checkpointed: a
   * DataFrame made from a local collection otherwise carries its partition's rows in every task of
   * every job (63 MB a task for half of MNIST), as data read from files never does.
   */
  static org.apache.spark.sql.Dataset<Row> frame(List<Row> rows, int partitions) {
    return LocalSpark.session().createDataFrame(LocalSpark.context().parallelize(rows, partitions), SCHEMA)
        .localCheckpoint();
  }
}
