package dev.nnc.spark;

import java.io.Serializable;

/**
 * What a training job's tasks add up with {@code treeAggregate}: a sum of states (gradient sums in
 * {@code sync} mode, trained model states in {@code average} mode) and the loss, accuracy hits and
 * rows of the batches they trained on.
 */
final class Totals implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The sum, or null while nothing was added. */
  ModelState sum;
  /** Loss times rows, summed over batches. */
  double loss;
  double hits;
  long rows;

  /** The empty total every partition's aggregation starts from (what Spark ships to each task). */
  static Totals empty() {
    return new Totals();
  }

  /** Adds a state computed on one partition. */
  Totals addState(ModelState state) {
    sum = sum == null ? state : sum.add(state);
    return this;
  }

  /** Adds a batch's mean loss over its rows, and its accuracy hits. */
  Totals addBatch(double meanLoss, double batchHits, int batchRows) {
    loss += meanLoss * batchRows;
    hits += batchHits;
    rows += batchRows;
    return this;
  }

  /** Merges two partitions' totals (the combine step of {@code treeAggregate}). */
  static Totals merge(Totals a, Totals b) {
    if (b.sum != null) a.addState(b.sum);
    a.loss += b.loss;
    a.hits += b.hits;
    a.rows += b.rows;
    return a;
  }

  double meanLoss() {
    return loss / rows;
  }

  double accuracy() {
    return hits / rows;
  }
}
