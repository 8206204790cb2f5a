package dev.nnc.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Which rows of each partition make up each global batch in {@code sync} mode: every global batch
 * has exactly {@code batchSize} rows (the last one what is left), and every partition gives a share
 * proportional to the rows it has left, so that all partitions work on every step and run out
 * together. Within a partition, rows are taken in its visiting order, one run after the other.
 *
 * <p>Batch {@code s} is therefore partition 0's rows {@code [start(s, 0), start(s, 0) + count(s, 0))},
 * then partition 1's, and so on: training on the rows in that order on one machine takes the same
 * steps (see {@link #globalOrder}).
 */
final class BatchSchedule implements Serializable {
  private static final long serialVersionUID = 1L;

  /** {@code counts[step][partition]}: the rows the partition gives to the step's batch. */
  private final int[][] counts;
  /** {@code starts[step][partition]}: where in the partition's order they begin. */
  private final int[][] starts;

  private BatchSchedule(int[][] counts, int[][] starts) {
    this.counts = counts;
    this.starts = starts;
  }

  /** The schedule for partitions of {@code rows[p]} training rows each, in batches of {@code batchSize}. */
  static BatchSchedule of(int[] rows, int batchSize) {
    if (batchSize < 1) throw new IllegalArgumentException("batch size must be at least 1, not " + batchSize);
    int partitions = rows.length;
    long total = Arrays.stream(rows).asLongStream().sum();
    int steps = (int) ((total + batchSize - 1) / batchSize);
    int[][] counts = new int[steps][partitions];
    int[][] starts = new int[steps][partitions];
    long[] left = Arrays.stream(rows).asLongStream().toArray();
    long remaining = total;
    for (int s = 0; s < steps; s++) {
      long need = Math.min(batchSize, remaining);
      long given = 0;
      long[] fraction = new long[partitions];
      for (int p = 0; p < partitions; p++) {
        long share = need * left[p] / remaining;
        fraction[p] = need * left[p] % remaining;
        counts[s][p] = (int) share;
        given += share;
      }
      // Largest remainders first (ties: lower partition): each gets one row more; they have it to give.
      long extra = need - given;
      Integer[] byFraction = IntStream.range(0, partitions).boxed().toArray(Integer[]::new);
      Arrays.sort(byFraction, Comparator.comparingLong((Integer p) -> -fraction[p]).thenComparingInt(p -> p));
      for (int k = 0; k < extra; k++) counts[s][byFraction[k]]++;
      for (int p = 0; p < partitions; p++) {
        starts[s][p] = (int) (rows[p] - left[p]);
        left[p] -= counts[s][p];
      }
      remaining -= need;
    }
    return new BatchSchedule(counts, starts);
  }

  int steps() {
    return counts.length;
  }

  int partitions() {
    return counts.length == 0 ? 0 : counts[0].length;
  }

  /** The rows partition {@code partition} gives to step {@code step}'s batch. */
  int count(int step, int partition) {
    return counts[step][partition];
  }

  /** Where, in the partition's visiting order, they begin. */
  int start(int step, int partition) {
    return starts[step][partition];
  }

  /** The rows of the global batch of {@code step}. */
  int batchRows(int step) {
    return Arrays.stream(counts[step]).sum();
  }

  /**
   * The order in which one machine visits the same rows to take the same steps: for each step,
   * partition by partition, the rows it gives; each row as {@code {partition, index in its order}}.
   */
  int[][] globalOrder() {
    int total = 0;
    for (int[] step : counts) total += Arrays.stream(step).sum();
    int[][] order = new int[total][];
    int k = 0;
    for (int s = 0; s < counts.length; s++) {
      for (int p = 0; p < counts[s].length; p++) {
        for (int r = 0; r < counts[s][p]; r++) order[k++] = new int[] {p, starts[s][p] + r};
      }
    }
    return order;
  }
}
