package dev.nnc.cli;

import dev.nnc.compiler.Kernels;
import picocli.CommandLine.Option;

/** {@code --kernels vector|scalar} for the commands that compile a model in memory and run it. */
final class KernelsOption {

  @Option(names = "--kernels", paramLabel = "KIND", order = 29,
      description = "Dense kernels: vector (the Vector API; the default when Java runs with"
          + " --add-modules jdk.incubator.vector, as bin/nnc starts it) or scalar (plain loops).")
  Kernels kernels;

  /** The kernels asked for, else the fastest this JVM can run. */
  Kernels chosen() {
    return kernels == null ? Kernels.bestAvailable() : kernels;
  }
}
