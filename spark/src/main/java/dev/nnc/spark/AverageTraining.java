package dev.nnc.spark;

import dev.nnc.runtime.AccuracyRule;
import dev.nnc.runtime.Evaluation;
import dev.nnc.runtime.Model;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;

/**
 * {@code average} mode: parameter averaging. In each round every partition starts from the same
 * broadcast state (parameters and optimizer state), trains {@code averageEvery} steps of
 * {@code batchSize} rows on its own rows with the generated class's fused step, and the states are
 * averaged ({@code treeAggregate}, then the mean on the driver). One job per round instead of one
 * per step; an epoch is every partition's pass over its rows.
 */
final class AverageTraining {
  private AverageTraining() {}

  static void run(Training t) {
    int batch = t.options.batchSize();
    int k = t.options.averageEvery();
    int stepsPerEpoch = 0;
    for (int rows : t.trainRows) stepsPerEpoch = Math.max(stepsPerEpoch, (rows + batch - 1) / batch);
    int rounds = (stepsPerEpoch + k - 1) / k;
    Broadcast<ModelState> state = t.sc.broadcast(ModelState.read(t.model, true));
    try {
      for (int epoch = 0; epoch < t.options.epochs(); epoch++) {
        long start = System.nanoTime();
        Totals trained = Totals.empty();
        for (int round = 0; round < rounds; round++) {
          LocalSteps task = new LocalSteps(t.code, state, epoch, round * k, k, batch, t.options.seed(), t.options.shuffle());
          Totals sums = t.blocks.treeAggregate(Totals.empty(), task, Totals::merge, Training.TREE_DEPTH);
          ModelState mean = sums.sum.mean();
          sums.sum = null;
          Totals.merge(trained, sums);
          state.destroy();
          state = t.sc.broadcast(mean);
        }
        Evaluation validation = t.validate(state);
        t.endEpoch(epoch, trained, validation, System.nanoTime() - start, rounds + (validation == null ? 0 : 1));
      }
      state.value().writeTo(t.model);
    } finally {
      state.destroy();
    }
  }

  /** One partition's round: {@code steps} training steps on its rows from the broadcast state; returns the state reached. */
  static final class LocalSteps implements Function2<Totals, PartitionBlock, Totals> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<ModelCode> code;
    private final Broadcast<ModelState> state;
    private final int epoch;
    private final int firstStep;
    private final int steps;
    private final int batchSize;
    private final long seed;
    private final boolean shuffle;

    LocalSteps(Broadcast<ModelCode> code, Broadcast<ModelState> state, int epoch, int firstStep, int steps,
        int batchSize, long seed, boolean shuffle) {
      this.code = code;
      this.state = state;
      this.epoch = epoch;
      this.firstStep = firstStep;
      this.steps = steps;
      this.batchSize = batchSize;
      this.seed = seed;
      this.shuffle = shuffle;
    }

    @Override
    public Totals call(Totals totals, PartitionBlock block) {
      int firstRow = firstStep * batchSize;
      if (firstRow >= block.trainRows) return totals;
      ModelCode modelCode = code.value();
      ExecutorModels.Instance instance = ExecutorModels.borrow(modelCode);
      try {
        state.value().writeTo(instance.model);
        // Training moves the instance away from any broadcast state.
        instance.stateId = -1;
        Model model = instance.model;
        AccuracyRule rule = AccuracyRule.of(model);
        int[] order = block.order(epoch, seed, shuffle);
        int end = (int) Math.min(block.trainRows, (long) (firstStep + steps) * batchSize);
        for (int from = firstRow; from < end; from += batchSize) {
          int n = Math.min(batchSize, end - from);
          block.copyTrainingRows(order, from, n, instance.x, instance.y);
          float loss = model.trainStep(instance.x, instance.y, n);
          totals.addBatch(loss, rule.hits(model.output(), instance.y, n, model.outputSize(), block.targetSize), n);
        }
        return totals.addState(ModelState.read(model, true));
      } finally {
        ExecutorModels.release(modelCode, instance);
      }
    }
  }
}
