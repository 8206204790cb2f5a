package dev.nnc.compiler;

import java.util.OptionalInt;

/**
 * How to emit: the Java package of the generated class ("" for none), optionally a batch size
 * that replaces the source's {@code train batch N} as the most samples one step takes, and the
 * kernels to write.
 */
public record CompileOptions(String packageName, OptionalInt batchSize, Kernels kernels) {

  public CompileOptions {
    if (packageName == null) packageName = "";
    if (batchSize == null) batchSize = OptionalInt.empty();
    if (kernels == null) kernels = Kernels.SCALAR;
  }

  /** With the portable scalar kernels. */
  public CompileOptions(String packageName, OptionalInt batchSize) {
    this(packageName, batchSize, Kernels.SCALAR);
  }

  public static CompileOptions inPackage(String packageName) {
    return new CompileOptions(packageName, OptionalInt.empty(), Kernels.SCALAR);
  }

  public CompileOptions withBatchSize(int batch) {
    return new CompileOptions(packageName, OptionalInt.of(batch), kernels);
  }

  public CompileOptions withKernels(Kernels newKernels) {
    return new CompileOptions(packageName, batchSize, newKernels);
  }
}
