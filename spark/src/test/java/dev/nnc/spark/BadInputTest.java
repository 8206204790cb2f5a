package dev.nnc.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/** Mistakes are reported on the driver, clearly, and a bad model source before any Spark job runs. */
class BadInputTest {
  private static final String BAD_SOURCE = String.join("\n",
      "input 4;",
      "dense 8 relu;",
      "dense 3 sofmax;",
      "loss sparse_ce;",
      "");
  private static final String GOOD_SOURCE = BAD_SOURCE.replace("sofmax", "softmax");

  private static Dataset<Row> tinyFrame(int features) {
    List<Row> rows = List.of(
        RowFactory.create(Vectors.dense(new double[features]), 0.0),
        RowFactory.create(Vectors.dense(new double[features]), 2.0));
    return MnistFrames.frame(rows, 2);
  }

  @Test
  void badModelSourceGivesTheCompilersDiagnosticsBeforeAnyJob() {
    Dataset<Row> frame = tinyFrame(4);
    JavaSparkContext sc = LocalSpark.context();
    String group = "bad-source-" + System.nanoTime();
    sc.setJobGroup(group, "fit with a bad model source", false);
    try {
      ModelSourceException e = assertThrows(ModelSourceException.class,
          () -> new NncEstimator().setModelSource(BAD_SOURCE).setModelSourceName("tiny.nn").fit(frame));
      assertTrue(e.getMessage().startsWith("tiny.nn:3:9: error: unknown activation 'sofmax' (did you mean 'softmax'?)"),
          e.getMessage());
      assertTrue(e.getMessage().contains("dense 3 sofmax;"), e.getMessage());
      assertEquals(0, sc.statusTracker().getJobIdsForGroup(group).length, "Spark jobs ran before the error");
    } finally {
      sc.clearJobGroup();
    }
  }

  @Test
  void rowsThatDoNotFitTheModelAreNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new NncEstimator().setModelSource(GOOD_SOURCE).setVerbose(false).fit(tinyFrame(5)));
    assertTrue(e.getMessage().contains("row 0 of partition 0: column features holds a vector of 5 values;"
        + " the model's input takes 4"), e.getMessage());
    assertTrue(e.getMessage().contains("row 0 of partition 1"), e.getMessage());
  }

  @Test
  void labelsOutsideTheClassesAreNamed() {
    List<Row> rows = List.of(RowFactory.create(Vectors.dense(new double[4]), 3.0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new NncEstimator().setModelSource(GOOD_SOURCE).setVerbose(false).fit(MnistFrames.frame(rows, 1)));
    assertTrue(e.getMessage().contains("column label holds 3.0, not a class index from 0 to 2"), e.getMessage());
  }

  @Test
  void aMissingFeaturesColumnIsNamedBeforeAnyJob() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new NncEstimator().setModelSource(GOOD_SOURCE).setFeaturesCol("pixels").fit(tinyFrame(4)));
    assertTrue(e.getMessage().startsWith("no column pixels among [features, label]"), e.getMessage());
  }
}
