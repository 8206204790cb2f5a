package dev.nnc.compiler;

/** Which implementation of the dense kernels the generated class carries. */
public enum Kernels {
  /**
   * Plain Java loops: the readable reference. The class compiles and runs on any Java 17+ with no
   * options.
   */
  SCALAR,
  /**
   * Register-blocked Vector API kernels, about ten times faster. The class uses the incubating
   * module {@code jdk.incubator.vector}: compile and run it with {@code --add-modules jdk.incubator.vector}.
   */
  VECTOR;

  /** The module the VECTOR kernels need at compile and run time. */
  public static final String VECTOR_MODULE = "jdk.incubator.vector";

  /** VECTOR when this JVM has the Vector API module resolved, else SCALAR. */
  public static Kernels bestAvailable() {
    return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent() ? VECTOR : SCALAR;
  }
}
