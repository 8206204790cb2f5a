package dev.nnc.cli;

import dev.nnc.compiler.GeneratedSource;
import dev.nnc.compiler.Kernels;
import dev.nnc.compiler.model.CheckedModel;
import dev.nnc.compiler.model.LossSpec;
import dev.nnc.runtime.Model;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A model file compiled in memory and instantiated in this JVM, with what the checker knows about
 * it and where its classes came from ({@link #origin}: the cache, or javac).
 */
record LoadedModel(CheckedModel checked, Model model, Class<? extends Model> type, String origin) {

  /**
   * Reads, checks and compiles {@code file} with the given maximum batch (the source's own when
   * empty) and kernels, then compiles the Java in memory (or takes it from the user's class cache)
   * and instantiates it.
   *
   * @return empty after printing why not (unreadable file, or the model's diagnostics)
   * @throws NncBug when the generated Java does not compile or load
   */
  static Optional<LoadedModel> load(Path file, OptionalInt batchSize, Kernels kernels, PrintWriter err) {
    return GeneratedModel.generate(file, batchSize, kernels, err).map(g -> load(g, ClassCache.forUser()));
  }

  /**
   * The generated Java's classes, from {@code cache} when it holds them, else compiled in memory
   * (and then stored in {@code cache}), loaded and instantiated.
   *
   * @throws NncBug when the generated Java does not compile or load
   */
  static LoadedModel load(GeneratedModel generated, ClassCache cache) {
    GeneratedSource java = generated.java();
    InMemoryCompiler compiler = InMemoryCompiler.forRuntime();
    List<String> options = compiler.options(Map.of(java.qualifiedName(), java.code()));
    String key = ClassCache.key(java.qualifiedName(), java.code(), options, compiler.classPath());

    Optional<Map<String, byte[]>> cached = cache.read(key, java.qualifiedName());
    if (cached.isPresent()) {
      try {
        Class<? extends Model> type = compiler.load(java.qualifiedName(), cached.get()).asSubclass(Model.class);
        return new LoadedModel(generated.checked(), type.getConstructor().newInstance(), type, "from the cache");
      } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
        // An entry that does not load or instantiate (it cannot be ours, or what it links against changed):
        // compile afresh, which also reports a real problem as it would without the cache.
      }
    }

    Map<String, byte[]> classes;
    try {
      classes = compiler.compile(Map.of(java.qualifiedName(), java.code()));
    } catch (InMemoryCompiler.CompilationFailedException e) {
      throw new NncBug("the Java generated for " + generated.file() + " does not compile:" + System.lineSeparator()
          + e.getMessage());
    }
    Class<? extends Model> type;
    try {
      type = compiler.load(java.qualifiedName(), classes).asSubclass(Model.class);
    } catch (ClassNotFoundException e) {
      throw new NncBug("javac produced no class " + java.qualifiedName() + " for " + generated.file(), e);
    } catch (ClassCastException e) {
      throw new NncBug(java.qualifiedName() + " generated for " + generated.file() + " is not a Model", e);
    }
    Model model = instantiate(type, generated.file());
    Optional<String> notStored = cache.write(key, classes);
    String origin = "compiled by javac, " + notStored.map(why -> "not cached: " + why).orElse("stored in the cache");
    return new LoadedModel(generated.checked(), model, type, origin);
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
