package dev.nnc.bench;

import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.MnistData;
import dev.nnc.runtime.PackedBytes;
import dev.nnc.runtime.PackedPairs;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The MNIST example's training step as {@code nnc train} takes it: the vector class, batches of 128
 * shuffled samples held as their non-zero bytes ({@code trainStepOnPackedBytes}), or as their pairs of
 * features where the class takes them ({@code trainStepOnPackedPairs}, as the trainer gives them), on 1 or 2 threads,
 * in a JVM with the options bin/nnc gives training (see {@link KernelTable#FORK_OPTIONS}). A step's
 * time here is what an epoch of {@code nnc train} spends a step without the trainer's own work, and
 * varies less from run to run than whole runs do, so that two versions of a kernel can be told apart
 * on two threads (run each version's jar in turn, several forks).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", KernelTable.ALIGN, KernelTable.QUIET,
    KernelTable.EARLY_COMPILE, KernelTable.NO_OSR,
    KernelTable.SHORT_UNROLL})
public class PackedStepBenchmark {
  static final int BATCH = 128;

  @Param({"1", "2"})
  public int threads;

  private dev.nnc.bench.vector.MnistModel model;
  private PackedBytes packed;
  /** The samples as their pairs of features, which the trainer gives a model that takes them; else null. */
  private PackedPairs pairs;
  private final float[] byteValues = MnistBytes.byteValues();
  private int[] order;
  private float[] targets;
  private final float[] x = new float[BATCH * 784];
  private final float[] y = new float[BATCH];
  private int first;

  @Setup(Level.Trial)
  public void load() {
    Dataset train = MnistData.locate(null, System.err).train();
    packed = PackedBytes.of(MnistBytes.features(train), 784).orElseThrow();
    targets = train.targets();
    order = new int[train.size()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    SplittableRandom random = new SplittableRandom(7);
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    model = new dev.nnc.bench.vector.MnistModel();
    model.useThreads(threads);
    pairs = model.takesPackedPairs() ? PackedPairs.of(packed) : null;
  }

  @TearDown(Level.Trial)
  public void close() {
    model.useThreads(1);
  }

  @Benchmark
  public float step() {
    if (first + BATCH > order.length) first = 0;
    for (int i = 0; i < BATCH; i++) y[i] = targets[order[first + i]];
    float loss = pairs != null
        ? model.trainStepOnPackedPairs(pairs.entries(), pairs.starts(), byteValues, order, first, BATCH, x, y)
        : model.trainStepOnPackedBytes(packed.packed(), packed.starts(), byteValues, order, first, BATCH, x, y);
    first += BATCH;
    return loss;
  }
}
