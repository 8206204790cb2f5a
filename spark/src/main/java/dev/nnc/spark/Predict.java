package dev.nnc.spark;

import dev.nnc.runtime.AccuracyRule;
import dev.nnc.runtime.LossKind;
import dev.nnc.runtime.Model;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Scores a partition's rows a batch at a time (at most the model's maximum batch), appending the
 * prediction and the model's outputs to each row:
 *
 * <ul>
 *   <li>one class per sample ({@code sparse_ce}, {@code ce}): the argmax, and the class probabilities;
 *   <li>one sigmoid output ({@code binary_ce}): 1 when {@code p > 0.5}, else 0, and {@code [1 - p, p]},
 *       as Spark's binary classifiers give it;
 *   <li>otherwise (regression, several binary outputs): the first output, and all outputs.
 * </ul>
 */
final class Predict implements FlatMapFunction<Iterator<Row>, Row> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<ModelCode> code;
  private final Broadcast<ModelState> parameters;
  private final int featuresIndex;

  Predict(Broadcast<ModelCode> code, Broadcast<ModelState> parameters, int featuresIndex) {
    this.code = code;
    this.parameters = parameters;
    this.featuresIndex = featuresIndex;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> rows) {
    return new Iterator<>() {
      private final List<Row> scored = new ArrayList<>();
      private int next;

      @Override
      public boolean hasNext() {
        if (next < scored.size()) return true;
        if (!rows.hasNext()) return false;
        scoreBatch(rows, scored);
        next = 0;
        return !scored.isEmpty();
      }

      @Override
      public Row next() {
        if (!hasNext()) throw new NoSuchElementException();
        return scored.get(next++);
      }
    };
  }

  /** Reads up to a batch of rows, predicts them, and replaces {@code into}'s contents with the scored rows. */
  private void scoreBatch(Iterator<Row> rows, List<Row> into) {
    into.clear();
    ModelCode modelCode = code.value();
    ExecutorModels.Instance instance = ExecutorModels.borrow(modelCode);
    try {
      Training.load(instance, parameters);
      Model model = instance.model;
      int in = model.inputSize();
      List<Row> batch = new ArrayList<>();
      while (batch.size() < model.maxBatch() && rows.hasNext()) {
        Row row = rows.next();
        copyFeatures(row.get(featuresIndex), instance.x, batch.size() * in, in);
        batch.add(row);
      }
      model.predict(instance.x, batch.size());
      float[] out = model.output();
      int outputs = model.outputSize();
      for (int r = 0; r < batch.size(); r++) {
        into.add(scored(batch.get(r), out, r * outputs, outputs, model.loss(), model.targetKind()));
      }
    } finally {
      ExecutorModels.release(modelCode, instance);
    }
  }

  private static void copyFeatures(Object value, float[] x, int at, int inputSize) {
    if (!(value instanceof Vector v) || v.size() != inputSize) {
      throw new IllegalArgumentException("features must be vectors of " + inputSize + " values, not "
          + (value instanceof Vector v ? "a vector of " + v.size() : String.valueOf(value)));
    }
    PartitionBlock.copy(v, x, at);
  }

  private static Row scored(Row row, float[] out, int from, int outputs, LossKind loss, Model.TargetKind targets) {
    double prediction;
    double[] probability;
    if (loss == LossKind.BINARY_CROSSENTROPY && outputs == 1) {
      double p = out[from];
      prediction = p > 0.5 ? 1 : 0;
      probability = new double[] {1 - p, p};
    } else {
      probability = new double[outputs];
      for (int k = 0; k < outputs; k++) probability[k] = out[from + k];
      boolean classes = targets == Model.TargetKind.CLASS_INDEX || loss == LossKind.CATEGORICAL_CROSSENTROPY;
      prediction = classes ? AccuracyRule.argmax(out, from, outputs) : out[from];
    }
    Object[] values = new Object[row.size() + 2];
    for (int i = 0; i < row.size(); i++) values[i] = row.get(i);
    values[row.size()] = prediction;
    values[row.size() + 1] = Vectors.dense(probability);
    return RowFactory.create(values);
  }
}
