package dev.nnc.bench;

import dev.nnc.cli.InMemoryCompiler;
import dev.nnc.compiler.Compilation;
import dev.nnc.compiler.CompileOptions;
import dev.nnc.compiler.GeneratedSource;
import dev.nnc.compiler.Kernels;
import dev.nnc.compiler.NncCompiler;
import dev.nnc.compiler.diag.SourceFile;
import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.MnistData;
import dev.nnc.runtime.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * How a generated model's {@code trainStep} scales with its shape: input 784, {@code hidden} dense
 * relu layers of {@code width} units, dense 10 softmax, sparse categorical cross-entropy, RMSprop,
 * at batch {@code batch}. Each model is generated and compiled in memory when the trial starts
 * (the nnc compiler facade, then javac), exactly as {@code nnc train} does.
 *
 * <p>Data: consecutive batches of real MNIST when {@code NNC_DATA} names a folder holding
 * {@code mnist/}; otherwise synthetic MNIST-like images (81% zeros, the rest uniform in (0, 1],
 * random labels). {@link #dataDescription()} says which. {@link ScalingTable} runs this benchmark
 * and prints the step times with the GFLOP/s of {@link #flopsPerStep}.
 *
 * <p>Warm-up is 5 iterations because the first steps run before the JIT has compiled the kernels:
 * the 784-512-10 model's first step took 2.4 s instead of 7 ms here, and 2048-wide models with 4
 * hidden layers took about 30 s for each of their first two steps. A warm-up iteration lasts at
 * least one step, so those iterations simply take longer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ScalingBenchmark {
  static final int INPUT = 784;
  static final int OUTPUT = 10;
  /** Synthetic data: this many samples, this fraction of zero pixels (MNIST's training set has 80.9%). */
  static final int SYNTHETIC_SAMPLES = 10_240;
  static final double SYNTHETIC_ZEROS = 0.81;

  @Param({"128", "512", "2048"})
  public int width;

  @Param({"1", "2", "3", "4"})
  public int hidden;

  @Param({"32", "128", "512"})
  public int batch;

  @Param({"vector"})
  public String kernels;

  private Model model;
  private float[] features;
  private float[] labels;
  private int batches;
  private float[] x;
  private float[] y;
  private int next;

  @Setup(Level.Trial)
  public void setup() throws Exception {
    model = compile(modelSource(width, hidden, batch), batch, Kernels.valueOf(kernels.toUpperCase(Locale.ROOT)));
    model.initialize(42);
    Optional<Path> mnist = mnistDir();
    if (mnist.isPresent()) {
      Dataset train = MnistData.locate(mnist.get(), System.err).train();
      features = train.features();
      labels = train.targets();
    } else {
      SplittableRandom random = new SplittableRandom(42);
      features = new float[SYNTHETIC_SAMPLES * INPUT];
      labels = new float[SYNTHETIC_SAMPLES];
      for (int i = 0; i < features.length; i++) {
        features[i] = random.nextDouble() < SYNTHETIC_ZEROS ? 0f : (float) (1.0 - random.nextDouble());
      }
      for (int i = 0; i < labels.length; i++) labels[i] = random.nextInt(OUTPUT);
    }
    batches = labels.length / batch;
    x = new float[batch * INPUT];
    y = new float[batch];
  }

  /** The next batch, in order, so that the data vary from step to step as in training. */
  private void nextBatch() {
    System.arraycopy(features, next * batch * INPUT, x, 0, batch * INPUT);
    System.arraycopy(labels, next * batch, y, 0, batch);
    next = (next + 1) % batches;
  }

  @Benchmark
  public float trainStep() {
    nextBatch();
    return model.trainStep(x, y, batch);
  }

  /** The model in nnc's language. */
  static String modelSource(int width, int hidden, int batch) {
    StringBuilder s = new StringBuilder();
    s.append("model Scaling {\n  input ").append(INPUT).append(";\n");
    for (int i = 0; i < hidden; i++) s.append("  dense ").append(width).append(" relu;\n");
    s.append("  dense ").append(OUTPUT).append(" softmax;\n");
    s.append("  loss sparse_ce;\n  optimizer rmsprop;\n  train batch ").append(batch).append(";\n}\n");
    return s.toString();
  }

  /** Generates the model's class with the nnc compiler, compiles it with javac in memory and instantiates it. */
  static Model compile(String source, int batch, Kernels kernels) throws Exception {
    Compilation compilation = NncCompiler.compile(SourceFile.of("scaling.nn", source),
        new CompileOptions("dev.nnc.bench.generated", OptionalInt.of(batch), kernels));
    if (compilation.hasErrors() || compilation.generated().isEmpty()) {
      throw new IllegalStateException("nnc rejected the benchmark model:\n" + compilation.renderDiagnostics() + "\n" + source);
    }
    GeneratedSource java = compilation.generated().get();
    Class<?> compiled = InMemoryCompiler.forRuntime().compileAndLoad(java.qualifiedName(), java.code());
    return compiled.asSubclass(Model.class).getConstructor().newInstance();
  }

  /**
   * Floating-point operations of one training step, 2 per multiply-add: the forward products, the
   * weight-gradient products, and the input-gradient products of every layer after the first (the
   * first layer's input needs no gradient). Biases, activations, the loss and the optimizer are
   * left out: they are linear in the parameter count, the products are not.
   */
  static long flopsPerStep(int width, int hidden, int batch) {
    long forward = (long) INPUT * width + (long) (hidden - 1) * width * width + (long) width * OUTPUT;
    long inputGradients = forward - (long) INPUT * width;
    return 2L * batch * (forward + forward + inputGradients);
  }

  /** Real MNIST's folder, if NNC_DATA (or the nnc.data property) names a folder whose mnist/ holds it. */
  static Optional<Path> mnistDir() {
    return MnistData.configuredDataDir().map(d -> d.resolve("mnist"))
        .filter(d -> Files.exists(d.resolve("train-images-idx3-ubyte.gz")) || Files.exists(d.resolve("train-images-idx3-ubyte")));
  }

  static String dataDescription() {
    return mnistDir().map(d -> "real MNIST training images (" + d + "), consecutive batches")
        .orElse(String.format(Locale.ROOT, "synthetic MNIST-like images (%.0f%% zeros, random labels; NNC_DATA not set)",
            SYNTHETIC_ZEROS * 100));
  }
}
