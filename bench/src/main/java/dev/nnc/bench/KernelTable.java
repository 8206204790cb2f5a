package dev.nnc.bench;

import dev.nnc.runtime.MnistData;
import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs {@link KernelBenchmark} and the one-thread vector peak of {@link PeakFlopsBenchmark} in one
 * JMH run and prints a row per kernel: its time per call, the real work of the products it computes
 * (two flops per multiply-add; the input layer's only over the batch's non-zero inputs), the
 * GFLOP/s that makes, and that as a share of the peak measured in the same run and, for the input
 * layer's two big products on 16 lanes, of the ceiling their inner loop reaches alone in the same run
 * ({@link KernelCeilingBenchmark}: what the first-level cache's loads and stores allow them, the
 * rest being the kernels' own work around that loop). Kernels that are
 * not products (the indexes, the activation's derivative, the bias gradient, the optimizer's
 * update) get their time alone. Takes JMH's own options ({@code -p kernel=dense1SparseForward},
 * {@code -f 2}, {@code -wi 3 -i 5 -w 1 -r 1}, ...). Unless {@code -jvmArgsAppend} says otherwise,
 * the forks run with the options {@code nnc train} gives the JVM for the kernels (see bin/nnc):
 * {@code -XX:ObjectAlignmentInBytes=64}, so that the input layer's panel rows lie on cache lines
 * (see bench/README.md), and the generated class compiled after a hundredth of the usual calls,
 * without on-stack replacement.
 *
 * <p>Each row also gives the bytes a call allocates (JMH's GC profiler). A kernel that allocates
 * tens of kilobytes or more is one the JIT compiled with its vectors left as objects, tens of times
 * slower: its row is marked, and its time is not the kernel's. While the generated class tested
 * blocks of inputs for zeros with a 128-bit vector beside its kernels' 512-bit ones, most forks with
 * JDK 17's default JIT options compiled the input layer's kernels so (7-8 ms a call instead of
 * 0.25-0.4, 70-150 MB a call); with one vector shape in the class, none of 45 did (bench/README.md).
 */
public final class KernelTable {
  private KernelTable() {}

  /** bin/nnc's JVM options for training, for the bench's own generated class (constants, for JMH's annotations too). */
  static final String ALIGN = "-XX:ObjectAlignmentInBytes=64";
  static final String QUIET = "-XX:CompileCommand=quiet";
  static final String EARLY_COMPILE = "-XX:CompileCommand=CompileThresholdScaling,dev.nnc.bench.vector.*::*,0.01";
  static final String NO_OSR = "-XX:-UseOnStackReplacement";
  static final String SHORT_UNROLL = "-XX:LoopUnrollLimit=20";
  /**
   * The ceilings' loops compiled as early as the generated class's: without on-stack replacement, a
   * loop over a half batch's few thousand entries ran interpreted for the 600 calls the default
   * thresholds ask, past the 3 s of warm-up, so the first measured iterations were the interpreter's
   * and the table gave the forward pass's loop 17-36% of the peak instead of about 70%.
   */
  static final String CEILINGS_EARLY_COMPILE =
      "-XX:CompileCommand=CompileThresholdScaling,dev.nnc.bench.KernelCeilingBenchmark::*,0.01";

  /** The forks' JVM options where the command line gives none: bin/nnc's for training. */
  static final List<String> FORK_OPTIONS = List.of("--add-modules", "jdk.incubator.vector", ALIGN, QUIET, EARLY_COMPILE, NO_OSR,
      SHORT_UNROLL, CEILINGS_EARLY_COMPILE);

  /** Bytes a call of a kernel whose vectors the JIT left as objects allocates, at the least (a kernel's own scratch is less). */
  static final double BOXED_BYTES = 16 * 1024;

  public static void main(String[] args) throws Exception {
    CommandLineOptions jmh = new CommandLineOptions(args);
    ChainedOptionsBuilder options = new OptionsBuilder()
        .parent(jmh)
        .include(KernelBenchmark.class.getName() + ".run")
        .include(PeakFlopsBenchmark.class.getName() + ".vector$")
        .include(KernelCeilingBenchmark.class.getName() + ".sumsIn")
        .addProfiler(GCProfiler.class);
    if (!jmh.getJvmArgsAppend().hasValue()) options.jvmArgsAppend(FORK_OPTIONS.toArray(String[]::new));
    Collection<RunResult> results = new Runner(options.build()).run();
    print(results, KernelBenchmark.batchNonZeros(MnistData.locate(null, System.err).train()), System.out);
  }

  /**
   * The real work a second that {@code shape}'s loop of {@link KernelCeilingBenchmark} reached in
   * this run, in GFLOP/s; NaN where it did not run or, with fewer than 16 lanes, where the kernels
   * are shaped otherwise (the forks say which: the benchmark reports no real work then).
   */
  static double ceiling(Collection<RunResult> results, String shape) {
    return results.stream()
        .filter(r -> r.getParams().getBenchmark().endsWith("KernelCeilingBenchmark." + shape))
        .map(r -> r.getSecondaryResults().get("realFlops"))
        .filter(java.util.Objects::nonNull)
        .mapToDouble(Result::getScore)
        .filter(g -> g > 0)
        .findFirst().orElse(Double.NaN);
  }

  /** The ceiling of {@code kernel}'s inner loop ({@link KernelCeilingBenchmark}): its shape's benchmark, or none. */
  static String ceilingShape(String kernel) {
    return switch (kernel) {
      case "dense1SparseForward" -> "sumsInMemory";
      case "dense1SparseKernelGradient", "dense1SparseKernelStep" -> "sumsInRegisters";
      default -> null;
    };
  }

  /**
   * The real work of one call of {@code kernel}, in flops, on a batch with {@code nonzeros} non-zero
   * inputs; empty for a kernel that is not a product.
   */
  static OptionalDouble flops(String kernel, int nonzeros) {
    int units = 512;
    int outputs = 10;
    return switch (kernel) {
      // a row of the 512-unit layer's kernel for each non-zero input, once forward and once for its gradient
      case "dense1SparseForward", "dense1SparseKernelGradient", "dense1SparseKernelStep" -> OptionalDouble.of(2.0 * units * nonzeros);
      case "dense2Forward" -> OptionalDouble.of(2.0 * KernelBenchmark.BATCH * units * outputs);
      // the output layer's weight gradient and input gradient
      case "dense2ColumnBackward" -> OptionalDouble.of(2 * 2.0 * KernelBenchmark.BATCH * units * outputs);
      default -> OptionalDouble.empty();
    };
  }

  /** The bytes one call allocated, from JMH's GC profiler; NaN where it did not run. */
  /** A result's kernel, or its benchmark's simple name (KernelCeilingBenchmark.sumsInMemory, ...). */
  private static String name(RunResult r) {
    String benchmark = r.getParams().getBenchmark();
    return benchmark.endsWith("KernelBenchmark.run") ? r.getParams().getParam("kernel")
        : benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
  }

  static double allocatedPerCall(RunResult r) {
    Result<?> norm = r.getSecondaryResults().get("gc.alloc.rate.norm");
    return norm == null ? Double.NaN : norm.getScore();
  }

  static void print(Collection<RunResult> results, int nonzeros, PrintStream out) {
    double peak = results.stream()
        .filter(r -> r.getParams().getBenchmark().endsWith("PeakFlopsBenchmark.vector"))
        .mapToDouble(r -> r.getPrimaryResult().getScore())
        .findFirst().orElse(Double.NaN);
    double inMemory = ceiling(results, "sumsInMemory"), inRegisters = ceiling(results, "sumsInRegisters");
    out.println();
    out.println("kernels of the MNIST example's vector class (784-512-10, batch " + KernelBenchmark.BATCH
        + "), one thread, one call each");
    out.println("batch: " + nonzeros + " non-zero inputs of " + KernelBenchmark.BATCH * 784
        + String.format(Locale.ROOT, " (%.1f%%)", 100.0 * nonzeros / (KernelBenchmark.BATCH * 784.0)));
    out.println("cpu: " + ScalingTable.Machine.vectorIsa() + ScalingTable.Machine.preferredSpecies() + "; java: "
        + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")
        + " (the forks run the same java unless -jvm says otherwise)");
    out.println(String.format(Locale.ROOT, "peak (PeakFlopsBenchmark.vector, this run): %.1f GFLOP/s", peak));
    out.println("MFLOP: the products' real work (2 per multiply-add; dense1 over the non-zero inputs only);"
        + " dense1SparseKernelStep also takes RMSprop's step");
    out.println(String.format(Locale.ROOT, "ceilings (KernelCeilingBenchmark, this run, the inner loops alone; real work):"
        + " sums in memory (the forward pass's loop) %.1f GFLOP/s, %.0f%% of peak; sums in registers (the weight gradient's)"
        + " %.1f, %.0f%%", inMemory, 100 * inMemory / peak, inRegisters, 100 * inRegisters / peak));
    out.println("time: mean over the measurement iterations [min..max of the iterations]");
    out.println();
    String header = String.format(Locale.ROOT, "%-28s %26s %8s %9s %8s %8s %10s", "kernel", "us/call mean [min..max]", "MFLOP",
        "GFLOP/s", "of peak", "of ceil.", "B/call");
    out.println(header);
    out.println("-".repeat(header.length()));
    for (RunResult r : results) {
      if (!r.getParams().getBenchmark().endsWith("KernelBenchmark.run")) continue;
      String kernel = r.getParams().getParam("kernel");
      Statistics s = r.getPrimaryResult().getStatistics();
      double toUs = ScalingTable.millisPer(r.getPrimaryResult().getScoreUnit()) * 1e3;
      double mean = s.getMean() * toUs;
      String time = String.format(Locale.ROOT, "%.1f [%.1f..%.1f]", mean, s.getMin() * toUs, s.getMax() * toUs);
      OptionalDouble flops = flops(kernel, nonzeros);
      double bytes = allocatedPerCall(r);
      // a few bytes a call are the harness's
      String allocated = Double.isNaN(bytes) ? "-" : String.format(Locale.ROOT, "%.0f%s", bytes, bytes >= BOXED_BYTES ? " BOXED" : "");
      if (flops.isEmpty()) {
        out.println(String.format(Locale.ROOT, "%-28s %26s %8s %9s %8s %8s %10s", kernel, time, "-", "-", "-", "-", allocated));
      } else {
        double gflops = flops.getAsDouble() / (mean * 1e3);
        String shape = ceilingShape(kernel);
        double ceiling = shape == null ? Double.NaN : ceiling(results, shape);
        String ofCeiling = Double.isNaN(ceiling) ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * gflops / ceiling);
        out.println(String.format(Locale.ROOT, "%-28s %26s %8.2f %9.1f %7.0f%% %8s %10s", kernel, time, flops.getAsDouble() / 1e6,
            gflops, 100 * gflops / peak, ofCeiling, allocated));
      }
    }
    List<String> boxed = results.stream().filter(r -> allocatedPerCall(r) >= BOXED_BYTES).map(KernelTable::name).toList();
    if (!boxed.isEmpty()) {
      out.println();
      out.println("BOXED (" + String.join(", ", boxed) + "): it allocated, so the JIT left its vectors as objects in a fork, or"
          + " it ran interpreted for part of the measurement; run it again (-f 2 or more)");
    }
  }
}
