package dev.nnc.cli;

import dev.nnc.compiler.GeneratedSource;
import dev.nnc.compiler.Kernels;
import dev.nnc.compiler.model.CheckedModel;
import dev.nnc.compiler.model.LossSpec;
import dev.nnc.runtime.Model;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/** A model file compiled in memory and instantiated in this JVM, with what the checker knows about it. */
record LoadedModel(CheckedModel checked, Model model, Class<? extends Model> type) {

  /**
   * Reads, checks and compiles {@code file} with the given maximum batch (the source's own when
   * empty) and kernels, then compiles the Java in memory and instantiates it.
   *
   * @return empty after printing why not (unreadable file, or the model's diagnostics)
   * @throws NncBug when the generated Java does not compile or load
   */
  static Optional<LoadedModel> load(Path file, OptionalInt batchSize, Kernels kernels, PrintWriter err) {
    return GeneratedModel.generate(file, batchSize, kernels, err).map(LoadedModel::load);
  }

  /**
   * Compiles the generated Java in memory and instantiates it.
   *
   * @throws NncBug when the generated Java does not compile or load
   */
  static LoadedModel load(GeneratedModel generated) {
    GeneratedSource java = generated.java();
    Class<? extends Model> type;
    try {
      type = InMemoryCompiler.forRuntime().compileAndLoad(java.qualifiedName(), java.code()).asSubclass(Model.class);
    } catch (InMemoryCompiler.CompilationFailedException e) {
      throw new NncBug("the Java generated for " + generated.file() + " does not compile:" + System.lineSeparator()
          + e.getMessage());
    } catch (ClassCastException e) {
      throw new NncBug(java.qualifiedName() + " generated for " + generated.file() + " is not a Model", e);
    }
    return new LoadedModel(generated.checked(), instantiate(type, generated.file()), type);
  }

  /** A fresh instance of the loaded class (initialized from the source's seed, as every generated model is). */
  Model newInstance() {
    return instantiate(type, null);
  }

  private static Model instantiate(Class<? extends Model> type, Path file) {
    try {
      return type.getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
      throw new NncBug("cannot instantiate " + type.getName() + (file == null ? "" : " generated for " + file)
          + ": " + cause, cause);
    }
  }

  /**
   * Whether to report accuracy: when the source asks for it ({@code metrics accuracy}), and for
   * every classification loss, where it is the number people look at; not for regression.
   */
  boolean tracksAccuracy() {
    return checked.metrics().contains("accuracy") || checked.loss().kind() != LossSpec.Kind.MEAN_SQUARED_ERROR;
  }
}
