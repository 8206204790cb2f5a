package dev.nnc.spark;

import dev.nnc.compiler.Kernels;
import dev.nnc.runtime.Model;
import java.util.OptionalInt;

/**
 * The model that the params name, resolved on the driver. A source is checked (its diagnostics
 * thrown as a {@link ModelSourceException} before any job runs) and compiled with the scalar
 * kernels, which every JVM runs; the vector kernels are generated too when they may be used, and
 * compiled only once the executors are known to have the module.
 *
 * @param scalar the code every JVM can run (for a class on the class path: that class)
 * @param vector the vector kernels' Java, or null when they will not be used
 * @param kernels the kernels param: auto, scalar or vector
 */
record ModelSetup(ModelCode scalar, ModelCompiler.Generated vector, String kernels) {

  /**
   * Resolves exactly one of {@code source} and {@code modelClass} (the other null).
   *
   * @throws ModelSourceException when the source has errors
   * @throws IllegalArgumentException when both or neither are given, or the vector kernels are asked
   *     for on a driver without the module
   */
  static ModelSetup of(String source, String sourceName, String modelClass, String kernels, OptionalInt batch) {
    if ((source == null) == (modelClass == null)) {
      throw new IllegalArgumentException("set exactly one of modelSource and modelClass"
          + (source != null ? " (both are set)" : ""));
    }
    boolean driverHasVector = Kernels.bestAvailable() == Kernels.VECTOR;
    if (kernels.equals(NncParams.VECTOR) && !driverHasVector) {
      throw new IllegalArgumentException("kernels \"vector\" needs the driver started with --add-modules "
          + Kernels.VECTOR_MODULE);
    }
    if (modelClass != null) return new ModelSetup(ModelCode.onClassPath(modelClass), null, kernels);
    ModelCompiler.Generated scalar = ModelCompiler.generate(sourceName, source, batch, Kernels.SCALAR, System.err);
    ModelCompiler.Generated vector = !kernels.equals(NncParams.SCALAR) && driverHasVector
        ? ModelCompiler.generate(sourceName, source, batch, Kernels.VECTOR, null)
        : null;
    return new ModelSetup(ModelCompiler.javac(scalar), vector, kernels);
  }

  /** An instance of the scalar class, for the model's sizes and defaults. */
  Model probe() {
    return scalar.newInstance();
  }

  /**
   * The code the executors run: the vector kernels when asked for, or with "auto" when every
   * executor that holds data has the module; else the scalar ones.
   */
  ModelCode codeFor(boolean executorsHaveVector) {
    boolean useVector = vector != null
        && (kernels.equals(NncParams.VECTOR) || (kernels.equals(NncParams.AUTO) && executorsHaveVector));
    return useVector ? ModelCompiler.javac(vector) : scalar;
  }
}
