package dev.nnc.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;

/**
 * One partition's rows as flat float blocks, built once per fit and cached: training rows and
 * validation rows, each row-major features ({@code rows × inputSize}) and targets
 * ({@code rows × targetSize}, a class index stored as a float), as the generated class takes them.
 *
 * <p>When the partition's rows do not fit the model, {@link #problem} says why (with the row) and
 * the blocks are empty, so that the driver can report every partition's problem at once.
 */
final class PartitionBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  final int partition;
  final int inputSize;
  final int targetSize;
  final float[] trainX;
  final float[] trainY;
  final int trainRows;
  final float[] validationX;
  final float[] validationY;
  final int validationRows;
  /** Why the rows do not fit the model, or null. */
  final String problem;

  /** The epoch whose visiting order {@link #order} holds, or -1; cached with the block, not shipped. */
  private transient int orderEpoch = -1;
  private transient int[] order;

  private PartitionBlock(int partition, int inputSize, int targetSize, FloatList trainX, FloatList trainY,
      FloatList validationX, FloatList validationY, String problem) {
    this.partition = partition;
    this.inputSize = inputSize;
    this.targetSize = targetSize;
    this.trainX = trainX.toArray();
    this.trainY = trainY.toArray();
    this.trainRows = this.trainY.length / targetSize;
    this.validationX = validationX.toArray();
    this.validationY = validationY.toArray();
    this.validationRows = this.validationY.length / targetSize;
    this.problem = problem;
  }

  /**
   * The training rows in the order epoch {@code epoch} visits them: as stored, or shuffled by a
   * generator seeded from the seed, the epoch and the partition (so every task that recomputes it
   * gets the same order).
   */
  synchronized int[] order(int epoch, long seed, boolean shuffle) {
    if (orderEpoch != epoch || order == null) {
      int[] o = new int[trainRows];
      for (int i = 0; i < o.length; i++) o[i] = i;
      if (shuffle) {
        SplittableRandom random = new SplittableRandom(mix(seed, epoch, partition));
        for (int i = o.length - 1; i > 0; i--) {
          int j = random.nextInt(i + 1);
          int t = o[i];
          o[i] = o[j];
          o[j] = t;
        }
      }
      order = o;
      orderEpoch = epoch;
    }
    return order;
  }

  /** Copies training rows {@code order[from .. from + n)} into a batch. */
  void copyTrainingRows(int[] order, int from, int n, float[] x, float[] y) {
    for (int r = 0; r < n; r++) {
      int row = order[from + r];
      System.arraycopy(trainX, row * inputSize, x, r * inputSize, inputSize);
      System.arraycopy(trainY, row * targetSize, y, r * targetSize, targetSize);
    }
  }

  /** Copies a vector's values into {@code into} from {@code at} on, as floats (zeros where a sparse vector has none). */
  static void copy(Vector v, float[] into, int at) {
    if (v instanceof SparseVector sparse) {
      Arrays.fill(into, at, at + v.size(), 0f);
      int[] indices = sparse.indices();
      double[] values = sparse.values();
      for (int k = 0; k < indices.length; k++) into[at + indices[k]] = (float) values[k];
    } else {
      for (int i = 0; i < v.size(); i++) into[at + i] = (float) v.apply(i);
    }
  }

  private static long mix(long seed, int epoch, int partition) {
    long h = seed * 0x9E3779B97F4A7C15L + epoch;
    h = (h ^ (h >>> 31)) * 0xBF58476D1CE4E5B9L + partition;
    return h ^ (h >>> 29);
  }

  /**
   * Builds a partition's block from rows of (features vector, label[, validation flag]); a Spark
   * function that holds only the model's sizes.
   */
  static final class Builder implements Function2<Integer, Iterator<Row>, Iterator<PartitionBlock>> {
    private static final long serialVersionUID = 1L;

    private final int inputSize;
    private final int targetSize;
    /** Class indices must lie in [0, classes); 0 when targets are values. */
    private final int classes;
    private final boolean hasValidationColumn;
    private final String featuresCol;
    private final String labelCol;

    Builder(int inputSize, int targetSize, int classes, boolean hasValidationColumn, String featuresCol,
        String labelCol) {
      this.inputSize = inputSize;
      this.targetSize = targetSize;
      this.classes = classes;
      this.hasValidationColumn = hasValidationColumn;
      this.featuresCol = featuresCol;
      this.labelCol = labelCol;
    }

    @Override
    public Iterator<PartitionBlock> call(Integer partition, Iterator<Row> rows) {
      FloatList trainX = new FloatList();
      FloatList trainY = new FloatList();
      FloatList validationX = new FloatList();
      FloatList validationY = new FloatList();
      float[] features = new float[inputSize];
      float[] target = new float[targetSize];
      String problem = null;
      for (long index = 0; rows.hasNext() && problem == null; index++) {
        Row row = rows.next();
        String where = "row " + index + " of partition " + partition;
        problem = readFeatures(row.get(0), features, where);
        if (problem == null) problem = readTarget(row.get(1), target, where);
        if (problem != null) break;
        boolean validation = hasValidationColumn && !row.isNullAt(2) && row.getBoolean(2);
        (validation ? validationX : trainX).addAll(features);
        (validation ? validationY : trainY).addAll(target);
      }
      if (problem != null) {
        FloatList none = new FloatList();
        return List.of(new PartitionBlock(partition, inputSize, targetSize, none, none, none, none, problem)).iterator();
      }
      return List.of(new PartitionBlock(partition, inputSize, targetSize, trainX, trainY, validationX, validationY, null))
          .iterator();
    }

    private String readFeatures(Object value, float[] into, String where) {
      if (!(value instanceof Vector v)) {
        return where + ": column " + featuresCol + " holds " + describe(value) + ", not a vector";
      }
      if (v.size() != inputSize) {
        return where + ": column " + featuresCol + " holds a vector of " + v.size() + " values; the model's input takes "
            + inputSize;
      }
      copy(v, into, 0);
      return null;
    }

    private String readTarget(Object value, float[] into, String where) {
      if (targetSize == 1) {
        if (!(value instanceof Number n)) {
          return where + ": column " + labelCol + " holds " + describe(value) + ", not a number";
        }
        double label = n.doubleValue();
        if (classes > 0 && (label != Math.rint(label) || label < 0 || label >= classes)) {
          return where + ": column " + labelCol + " holds " + label + ", not a class index from 0 to " + (classes - 1);
        }
        into[0] = (float) label;
        return null;
      }
      if (!(value instanceof Vector v) || v.size() != targetSize) {
        return where + ": column " + labelCol + " holds " + describe(value) + "; the model needs a vector of "
            + targetSize + " targets";
      }
      for (int i = 0; i < targetSize; i++) into[i] = (float) v.apply(i);
      return null;
    }

    private static String describe(Object value) {
      if (value == null) return "null";
      if (value instanceof Vector v) return "a vector of " + v.size() + " values";
      return "a " + value.getClass().getSimpleName() + " (" + value + ")";
    }
  }

  /** A growable float array. */
  private static final class FloatList {
    private float[] values = new float[1024];
    private int size;

    void addAll(float[] more) {
      if (size + more.length > values.length) {
        values = Arrays.copyOf(values, Math.max(values.length * 2, size + more.length));
      }
      System.arraycopy(more, 0, values, size, more.length);
      size += more.length;
    }

    float[] toArray() {
      return Arrays.copyOf(values, size);
    }
  }
}
