package dev.nnc.spark;

import dev.nnc.runtime.AccuracyRule;
import dev.nnc.runtime.Evaluation;
import dev.nnc.runtime.Model;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * {@code sync} mode: exact synchronous data-parallel SGD. For each global batch (see
 * {@link BatchSchedule}), every partition computes the gradient sum of its rows of the batch with
 * the generated class; {@code treeAggregate} adds the sums; the driver divides by the batch's rows
 * and takes the optimizer step with the generated class's own update
 * ({@link Model#writeGradient}, {@link Model#applyGradients}). Then the new parameters are
 * broadcast for the next step: one job and one broadcast per step.
 */
final class SyncTraining {
  private SyncTraining() {}

  static void run(Training t) {
    BatchSchedule schedule = BatchSchedule.of(t.trainRows, t.options.batchSize());
    Broadcast<BatchSchedule> scheduleShared = t.sc.broadcast(schedule);
    Broadcast<ModelState> parameters = t.sc.broadcast(ModelState.read(t.model, false));
    try {
      for (int epoch = 0; epoch < t.options.epochs(); epoch++) {
        long start = System.nanoTime();
        Totals trained = Totals.empty();
        for (int step = 0; step < schedule.steps(); step++) {
          GradientStep task = new GradientStep(t.code, parameters, scheduleShared, epoch, step, t.options.seed(),
              t.options.shuffle());
          Totals sums = t.blocks.treeAggregate(Totals.empty(), task, Totals::merge, Training.TREE_DEPTH);
          sums.sum.writeMeanGradientTo(t.model, sums.rows);
          t.model.applyGradients();
          Totals.merge(trained, metricsOnly(sums));
          parameters.destroy();
          parameters = t.sc.broadcast(ModelState.read(t.model, false));
        }
        Evaluation validation = t.validate(parameters);
        t.endEpoch(epoch, trained, validation, System.nanoTime() - start, schedule.steps() + (validation == null ? 0 : 1));
      }
    } finally {
      parameters.destroy();
      scheduleShared.destroy();
    }
  }

  private static Totals metricsOnly(Totals sums) {
    Totals metrics = Totals.empty();
    metrics.loss = sums.loss;
    metrics.hits = sums.hits;
    metrics.rows = sums.rows;
    return metrics;
  }

  /** One partition's share of one step: the gradient sum over its rows of the global batch. */
  static final class GradientStep implements Function2<Totals, PartitionBlock, Totals> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<ModelCode> code;
    private final Broadcast<ModelState> parameters;
    private final Broadcast<BatchSchedule> schedule;
    private final int epoch;
    private final int step;
    private final long seed;
    private final boolean shuffle;

    GradientStep(Broadcast<ModelCode> code, Broadcast<ModelState> parameters, Broadcast<BatchSchedule> schedule,
        int epoch, int step, long seed, boolean shuffle) {
      this.code = code;
      this.parameters = parameters;
      this.schedule = schedule;
      this.epoch = epoch;
      this.step = step;
      this.seed = seed;
      this.shuffle = shuffle;
    }

    @Override
    public Totals call(Totals totals, PartitionBlock block) {
      int rows = schedule.value().count(step, block.partition);
      if (rows == 0) return totals;
      int first = schedule.value().start(step, block.partition);
      ModelCode modelCode = code.value();
      ExecutorModels.Instance instance = ExecutorModels.borrow(modelCode);
      try {
        Training.load(instance, parameters);
        Model model = instance.model;
        block.copyTrainingRows(block.order(epoch, seed, shuffle), first, rows, instance.x, instance.y);
        float loss = model.computeGradients(instance.x, instance.y, rows);
        double hits = AccuracyRule.of(model).hits(model.output(), instance.y, rows, model.outputSize(), block.targetSize);
        return totals.addState(ModelState.gradientSum(model, rows)).addBatch(loss, hits, rows);
      } finally {
        ExecutorModels.release(modelCode, instance);
      }
    }
  }
}
