package dev.nnc.bench;

import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.MnistData;
import dev.nnc.runtime.PackedBytes;
import dev.nnc.runtime.PackedPairs;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Map;
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
 * Each kernel of the MNIST example's vector class on its own, one thread, on the workspaces a real
 * training step left (real MNIST, so the index of non-zero inputs holds a real batch: the setup
 * prints how many). The kernels are the class's private methods, called through method handles
 * with the model's own fields as arguments; a call's overhead is well under a microsecond.
 *
 * <p>Dense-equivalent work: {@code dense1SparseForward} and {@code dense1SparseKernelGradient}
 * stand in for 2 * 128 * 784 * 512 = 102.8 MFLOP each; the work they really do is 2 * 512 per
 * non-zero input. Compare with {@link PeakFlopsBenchmark} in the same run: {@link KernelTable}
 * runs both and prints each kernel's GFLOP/s and share of the peak.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class KernelBenchmark {
  /**
   * Each kernel's arguments: the model's fields by name, {@code rows} for the batch's rows, an int
   * or boolean literal. {@code dense1SparseKernelStep} is the sparse weight gradient taking the
   * optimizer's step as the training step does (see {@link #METHODS}).
   */
  private static final Map<String, String> ARGUMENTS = Map.ofEntries(
      Map.entry("indexInputRows", "rows 0 1"),
      Map.entry("indexByteRows", "features byteValues samples 0 rows rows 0 1"),
      Map.entry("copyPackedBytes", "packed starts byteValues samples 0 rows rows 0 1"),
      Map.entry("indexPackedPairs", "entries pairStarts byteValues samples 0 rows rows 0 1"),
      Map.entry("dense1SparseForward", "inputRowStart inputRowEnd inputRowColumn inputRowValue inputRowCursor dense1Kernel dense1Bias dense1Out dense1GradientPanel PANEL_START inputPairStart inputPairMiddle inputPairEnd inputPairRow inputPairValue rows 0 1"),
      Map.entry("dense2Forward", "dense1Out dense2Kernel dense2Bias dense2Out 0 rows dense2Lanes"),
      Map.entry("dense2ColumnBackward", "dense1Out dense2OutGrad dense2Kernel dense2KernelGrad dense1OutGrad dense1BiasGrad rows 0 1"),
      Map.entry("indexInputPairs", "rows 0 1"),
      Map.entry("dense1SparseKernelGradient", "inputPairStart inputPairMiddle inputPairEnd inputPairRow inputPairValue inputFeatureRows dense1OutGrad dense1GradientPanel dense1KernelGrad dense1Kernel dense1KernelVelocity stepAlpha false 0 1"),
      Map.entry("dense1SparseKernelStep", "inputPairStart inputPairMiddle inputPairEnd inputPairRow inputPairValue inputFeatureRows dense1OutGrad dense1GradientPanel dense1KernelGrad dense1Kernel dense1KernelVelocity stepAlpha true 0 1"),
      Map.entry("optimizerStep", "dense1Kernel dense1KernelGrad dense1KernelVelocity stepAlpha 12 401420"));

  /** The benchmarks that call a kernel under another name, with other arguments. */
  private static final Map<String, String> METHODS = Map.of("dense1SparseKernelStep", "dense1SparseKernelGradient");

  @Param({"indexInputRows", "indexByteRows", "copyPackedBytes", "indexPackedPairs", "dense1SparseForward", "dense2Forward", "dense2ColumnBackward",
      "indexInputPairs", "dense1SparseKernelGradient", "dense1SparseKernelStep",
      "optimizerStep"})
  public String kernel;

  private MethodHandle call;
  /** For the kernels that take optimizer steps: the weights and slots they change, and their values after the setup. */
  private float[][] stepped = new float[0][];
  private float[][] initial = new float[0][];

  /** Training steps the setup takes on consecutive batches of real MNIST: the kernels run on the last one's workspaces. */
  static final int SETUP_STEPS = 20;
  static final int BATCH = 128;

  /** The non-zero inputs of the batch the kernels run on (the setup's last). */
  static int batchNonZeros(Dataset train) {
    int nonzeros = 0;
    for (int i = 0; i < BATCH; i++) {
      for (int k = 0; k < 784; k++) nonzeros += train.feature((SETUP_STEPS - 1) * BATCH + i, k) != 0f ? 1 : 0;
    }
    return nonzeros;
  }

  @Setup(Level.Trial)
  public void setUp() throws Throwable {
    dev.nnc.bench.vector.MnistModel model = new dev.nnc.bench.vector.MnistModel();
    Dataset train = MnistData.locate(null, System.err).train();
    float[] x = new float[BATCH * 784];
    float[] y = new float[BATCH];
    for (int step = 0; step < SETUP_STEPS; step++) {
      for (int i = 0; i < BATCH; i++) {
        for (int k = 0; k < 784; k++) x[i * 784 + k] = train.feature(step * BATCH + i, k);
        y[i] = train.target(step * BATCH + i, 0);
      }
      model.trainStep(x, y, BATCH);
    }
    Class<?> type = model.getClass();
    int nonzeros = batchNonZeros(train);
    System.err.printf("the batch has %d non-zero inputs of %d (%.1f%%)%n", nonzeros, x.length, 100.0 * nonzeros / x.length);

    MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
    Method method = null;
    String methodName = METHODS.getOrDefault(kernel, kernel);
    // The kernels live in the class's nested kernel class; the index builders in the class itself.
    List<Class<?>> holders = new java.util.ArrayList<>(List.of(type));
    for (Class<?> nested : type.getDeclaredClasses()) {
      if (nested.getSimpleName().equals("VectorKernels")) holders.add(nested);
    }
    for (Class<?> holder : holders) {
      for (Method m : holder.getDeclaredMethods()) {
        if (m.getName().equals(methodName)) method = m;
      }
    }
    if (method == null) throw new IllegalStateException("no kernel " + kernel + " in " + type.getName());
    // For indexByteRows, copyPackedBytes and indexPackedPairs, as nnc train hands MNIST over: the training set's bytes (or their
    // non-zero bytes, as a Dataset holds them), the table of their values, and 128 samples drawn from all 60,000
    // (after the first call they are in cache: this times the indexing itself).
    byte[] features = MnistBytes.features(train);
    float[] byteValues = MnistBytes.byteValues();
    int[] samples = new java.util.SplittableRandom(7).ints(128, 0, train.size()).toArray();
    PackedBytes packed = PackedBytes.of(features, 784).orElseThrow();
    PackedPairs pairs = PackedPairs.of(packed);
    Map<String, Object> own = Map.of("features", features, "byteValues", byteValues, "samples", samples,
        "packed", packed.packed(), "starts", packed.starts(), "entries", pairs.entries(), "pairStarts", pairs.starts());
    String[] names = ARGUMENTS.get(kernel).split(" ");
    Object[] args = new Object[names.length];
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals("rows")) {
        args[i] = BATCH;
      } else if (Character.isDigit(names[i].charAt(0))) {
        args[i] = Integer.parseInt(names[i]);
      } else if (own.containsKey(names[i])) {
        args[i] = own.get(names[i]);
      } else if (names[i].equals("true") || names[i].equals("false")) {
        args[i] = Boolean.parseBoolean(names[i]);
      } else {
        Field field = type.getDeclaredField(names[i]);
        MethodHandle getter = lookup.unreflectGetter(field);
        args[i] = Modifier.isStatic(field.getModifiers()) ? getter.invoke() : getter.invoke(model);
      }
    }
    // Optimizer steps repeated on one gradient would decay the slots of weights whose gradient is zero into
    // subnormal floats, which run many times slower than training ever sees: each call starts from the same state.
    if (kernel.startsWith("update") || kernel.endsWith("Step")) {
      stepped = new float[][] {(float[]) lookup.unreflectGetter(type.getDeclaredField("dense1Kernel")).invoke(model),
          (float[]) lookup.unreflectGetter(type.getDeclaredField("dense1KernelVelocity")).invoke(model)};
      initial = new float[][] {stepped[0].clone(), stepped[1].clone()};
    }
    MethodHandle handle = MethodHandles.privateLookupIn(method.getDeclaringClass(), MethodHandles.lookup()).unreflect(method);
    if (!Modifier.isStatic(method.getModifiers())) handle = handle.bindTo(model);
    call = MethodHandles.insertArguments(handle, 0, args).asType(java.lang.invoke.MethodType.methodType(void.class));
  }

  /** Restores what an optimizer step changed (nothing for the other kernels); not timed. */
  @Setup(Level.Invocation)
  public void restore() {
    for (int i = 0; i < stepped.length; i++) System.arraycopy(initial[i], 0, stepped[i], 0, initial[i].length);
  }

  @Benchmark
  public void run() throws Throwable {
    call.invokeExact();
  }
}
