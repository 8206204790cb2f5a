package dev.nnc.bench;

import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.MnistData;
import dev.nnc.runtime.Model;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step and one inference pass of the MNIST example (784-512-10, batch 128) with each
 * kind of generated kernels, on consecutive batches of real MNIST (NNC_DATA must name a folder with
 * mnist/). Warm-up is long on purpose: the Vector API kernels reach steady state only after several
 * hundred steps.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TrainStepBenchmark {
  static final int BATCH = 128;

  @Param({"scalar", "vector"})
  public String kernels;

  private Model model;
  private float[] features;
  private float[] labels;
  private final float[] x = new float[BATCH * 784];
  private final float[] y = new float[BATCH];
  private int batch;

  @Setup(Level.Trial)
  public void load() {
    model = kernels.equals("vector") ? new dev.nnc.bench.vector.MnistModel() : new dev.nnc.bench.scalar.MnistModel();
    Dataset train = MnistData.locate(null, System.err).train();
    features = train.features();
    labels = train.targets();
  }

  /** The next batch of 128, in order, so that the data is as varied as in training. */
  private void nextBatch() {
    int first = batch * BATCH;
    System.arraycopy(features, first * 784, x, 0, BATCH * 784);
    System.arraycopy(labels, first, y, 0, BATCH);
    batch = (batch + 1) % (labels.length / BATCH);
  }

  @Benchmark
  public float trainStep() {
    nextBatch();
    return model.trainStep(x, y, BATCH);
  }

  @Benchmark
  public float predict() {
    nextBatch();
    model.predict(x, BATCH);
    return model.output()[0];
  }
}
