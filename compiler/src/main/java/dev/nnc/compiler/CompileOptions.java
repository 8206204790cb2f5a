package dev.nnc.compiler;

import java.util.Optional;
import java.util.OptionalInt;
import javax.lang.model.SourceVersion;

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

  /**
   * Why {@code name} cannot be the generated class's package, or empty if it can: it must be a Java
   * name without keywords, and not the JDK's ({@code java} and {@code java.*} are prohibited to
   * class loaders, and a package of a JDK module cannot be compiled into from outside it).
   */
  public static Optional<String> packageNameProblem(String name) {
    if (name.isEmpty()) return Optional.empty();
    if (!SourceVersion.isName(name)) return Optional.of("'" + dev.nnc.compiler.diag.Texts.shown(name) + "' is not a Java package name");
    if (name.equals("java") || name.startsWith("java.")) {
      return Optional.of("'" + name + "' is reserved: packages java and java.* belong to the JDK");
    }
    return ModuleLayer.boot().modules().stream().filter(m -> m.getPackages().contains(name)).findFirst()
        .map(m -> "'" + name + "' is a package of the JDK's module " + m.getName() + "; choose a package of your own");
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
