package dev.nnc.compiler;

import java.util.OptionalInt;

/**
 * How to emit: the Java package of the generated class ("" for none) and, optionally, a batch
 * size that replaces the source's {@code train batch N} as the most samples one step takes.
 */
public record CompileOptions(String packageName, OptionalInt batchSize) {

  public CompileOptions {
    if (packageName == null) packageName = "";
  }

  public static CompileOptions inPackage(String packageName) {
    return new CompileOptions(packageName, OptionalInt.empty());
  }

  public CompileOptions withBatchSize(int batch) {
    return new CompileOptions(packageName, OptionalInt.of(batch));
  }
}
