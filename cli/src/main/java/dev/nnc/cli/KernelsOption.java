package dev.nnc.cli;

import dev.nnc.compiler.Kernels;
import picocli.CommandLine.Option;

/** {@code --kernels vector|scalar} and {@code --threads N} for the commands that compile a model in memory and run it. */
final class KernelsOption {

  @Option(names = "--kernels", paramLabel = "KIND", order = 29,
      description = "Dense kernels: vector (the Vector API; the default when Java runs with"
          + " --add-modules jdk.incubator.vector, as bin/nnc starts it) or scalar (plain loops).")
  Kernels kernels;

  @Option(names = "--threads", paramLabel = "N", order = 30,
      description = "Threads a step may use: 1, or 2 (the default on a machine with two or more cores): "
          + "the vector kernels then split the input layer's work with a second thread.")
  Integer threads;

  /** The problem with the options, if any: a usage error for the command to report. */
  String problem() {
    if (threads != null && threads < 1) return "--threads must be at least 1, not " + threads;
    if (kernels == Kernels.VECTOR && Kernels.bestAvailable() != Kernels.VECTOR) {
      return "--kernels vector needs the Vector API module, which this Java was not started with; run Java with"
          + " --add-modules " + Kernels.VECTOR_MODULE + " (bin/nnc adds it; with java -jar, put it in JAVA_OPTS)"
          + " or use --kernels scalar";
    }
    return null;
  }

  /** The threads asked for, else two where the machine has them. */
  int threads() {
    return threads != null ? threads : Math.min(2, Runtime.getRuntime().availableProcessors());
  }

  /** The kernels asked for, else the fastest this JVM can run. */
  Kernels chosen() {
    return kernels == null ? Kernels.bestAvailable() : kernels;
  }
}
