package dev.nnc.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs {@link ScalingBenchmark} through JMH and prints one row per model shape: the step time and
 * the GFLOP/s it implies. Takes JMH's own options ({@code -wi 1 -i 1 -w 1 -r 1},
 * {@code -p width=512}, {@code -rf json -rff scaling.json}, ...), which select and time the runs;
 * the benchmark's defaults are 1 fork, 5 × 1 s warm-up, 5 × 1 s measurement.
 */
public final class ScalingTable {
  private ScalingTable() {}

  public static void main(String[] args) throws Exception {
    CommandLineOptions jmh = new CommandLineOptions(args);
    Options options = new OptionsBuilder()
        .parent(jmh)
        .include(ScalingBenchmark.class.getName() + ".trainStep")
        .build();
    Collection<RunResult> results = new Runner(options).run();
    print(results, System.out);
  }

  static void print(Collection<RunResult> results, PrintStream out) {
    List<RunResult> rows = new ArrayList<>(results);
    rows.sort(Comparator.<RunResult>comparingInt(r -> param(r, "width"))
        .thenComparingInt(r -> param(r, "hidden"))
        .thenComparingInt(r -> param(r, "batch")));
    out.println();
    out.println("trainStep of input 784, HIDDEN x dense WIDTH relu, dense 10 softmax, sparse_ce, rmsprop (1 thread)");
    out.println("data: " + ScalingBenchmark.dataDescription());
    out.println("cpu: " + Machine.vectorIsa() + Machine.preferredSpecies() + "; java: " + System.getProperty("java.vm.name") + " "
        + System.getProperty("java.runtime.version") + " (the forks run the same java unless -jvm says otherwise)");
    out.println("GFLOP/s = (2 x forward MACs + 2 x weight-gradient MACs + 2 x input-gradient MACs after the first layer) / step time");
    out.println("step time: mean over the measurement iterations [min..max of the iterations]");
    out.println();
    String header = String.format(Locale.ROOT, "%-7s %5s %6s %-7s %10s %26s %9s %17s",
        "width", "hidden", "batch", "kernels", "MFLOP/step", "ms/step mean [min..max]", "GFLOP/s", "[min..max]");
    out.println(header);
    out.println("-".repeat(header.length()));
    for (RunResult r : rows) {
      int width = param(r, "width");
      int hidden = param(r, "hidden");
      int batch = param(r, "batch");
      double flops = ScalingBenchmark.flopsPerStep(width, hidden, batch);
      Statistics s = r.getPrimaryResult().getStatistics();
      double toMs = millisPer(r.getPrimaryResult().getScoreUnit());
      double mean = s.getMean() * toMs;
      double min = s.getMin() * toMs;
      double max = s.getMax() * toMs;
      out.println(String.format(Locale.ROOT, "%-7d %5d %6d %-7s %10.1f %26s %9.1f %17s",
          width, hidden, batch, r.getParams().getParam("kernels"), flops / 1e6,
          String.format(Locale.ROOT, "%.3f [%.3f..%.3f]", mean, min, max),
          flops / (mean * 1e6),
          String.format(Locale.ROOT, "[%.1f..%.1f]", flops / (max * 1e6), flops / (min * 1e6))));
    }
  }

  private static int param(RunResult r, String name) {
    return Integer.parseInt(r.getParams().getParam(name));
  }

  /** Milliseconds per unit of a JMH average-time score unit such as {@code us/op}. */
  static double millisPer(String unit) {
    String time = unit.substring(0, unit.indexOf('/'));
    TimeUnit u = switch (time) {
      case "ns" -> TimeUnit.NANOSECONDS;
      case "us" -> TimeUnit.MICROSECONDS;
      case "ms" -> TimeUnit.MILLISECONDS;
      case "s" -> TimeUnit.SECONDS;
      case "min" -> TimeUnit.MINUTES;
      default -> throw new IllegalArgumentException("not a time per operation: " + unit);
    };
    return u.toNanos(1) / 1e6;
  }

  /** What the benchmark machine offers, as the tables print it. */
  static final class Machine {
    private Machine() {}

    /** ", Vector API preferred species N floats" when this JVM has the module, else "". */
    static String preferredSpecies() {
      if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) return "";
      return ", Vector API preferred species " + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.length() + " floats";
    }

    /** "avx512f" when the CPU has AVX-512 Foundation, else "avx2 (no avx512f)", from /proc/cpuinfo; "unknown" elsewhere. */
    static String vectorIsa() {
      try {
        String flags = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
            .filter(l -> l.startsWith("flags")).findFirst().orElse("");
        List<String> words = List.of(flags.split("\\s+"));
        if (words.contains("avx512f")) return "avx512f";
        if (words.contains("avx2")) return "avx2 (no avx512f)";
        return "neither avx2 nor avx512f";
      } catch (Exception e) {
        return "vector ISA unknown (no /proc/cpuinfo)";
      }
    }
  }
}
