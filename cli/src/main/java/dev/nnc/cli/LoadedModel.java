package dev.nnc.cli;

import dev.nnc.compiler.CompileOptions;
import dev.nnc.compiler.GeneratedSource;
import dev.nnc.compiler.Kernels;
import dev.nnc.compiler.model.CheckedModel;
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
    return GeneratedModel.check(file, batchSize, kernels, err).map(g -> load(g, ClassCache.forUser()));
  }

  /**
   * {@link #load(Path, OptionalInt, Kernels, PrintWriter)} for {@code eval} and {@code predict}: the
   * model at batches of {@code batchSize} (the source's own when null) on the chosen kernels and
   * threads, with the trained {@code weights} loaded.
   *
   * @return empty after printing why not
   * @throws UserError when the weights do not fit the model
   */
  static Optional<LoadedModel> trained(Path file, Integer batchSize, KernelsOption kernels, Path weights, PrintWriter err) {
    Optional<LoadedModel> loaded = load(file, batchSize == null ? OptionalInt.empty() : OptionalInt.of(batchSize),
        kernels.chosen(), err);
    loaded.ifPresent(l -> {
      l.model().useThreads(kernels.threads());
      UserError.whileLoading(weights.toString(), () -> dev.nnc.runtime.Weights.load(l.model(), weights));
    });
    return loaded;
  }

  /**
   * The generated Java's classes, from {@code cache} when it holds them, else compiled in memory
   * (and then stored in {@code cache}), loaded and instantiated.
   *
   * @throws NncBug when the generated Java does not compile or load
   */
  static LoadedModel load(GeneratedModel generated, ClassCache cache) {
    return load(generated, cache, Optional.empty());
  }

  /**
   * {@link #load(GeneratedModel, ClassCache)}, taking the {@code early} classes when they were found
   * for this very model key, and otherwise remembering in {@code cache} which classes this model file
   * compiled to, for the next {@link #early} look. The model key covers all that the generated Java
   * depends on (the file, the options, and the nnc, compiler, runtime and JDK that compile it), so
   * classes found by it need no Java generated to be trusted: a re-run skips the emit stage.
   */
  static LoadedModel load(GeneratedModel generated, ClassCache cache, Optional<Early> early) {
    if (early.isPresent() && early.get().modelKey().equals(generated.modelKey())) {
      // an instance of its own: the early one is the JIT warm-up's
      Early found = early.get();
      return new LoadedModel(generated.checked(), found.newInstance(), found.type(),
          "from the cache, loaded while the model was checked");
    }
    GeneratedSource java = generated.java();
    InMemoryCompiler compiler = InMemoryCompiler.forRuntime();
    List<String> options = compiler.options(Map.of(java.qualifiedName(), java.code()));
    String key = ClassCache.key(java.qualifiedName(), java.code(), options, compiler.classPath());
    LoadedModel loaded = loadOrCompile(generated, cache, compiler, key);
    cache.writeIndex(generated.modelKey(), key, java.qualifiedName());
    return loaded;
  }

  private static LoadedModel loadOrCompile(GeneratedModel generated, ClassCache cache, InMemoryCompiler compiler,
      String key) {
    GeneratedSource java = generated.java();
    Optional<Early> cached = fromCache(cache, compiler, key, java.qualifiedName(), generated.modelKey());
    if (cached.isPresent()) {
      return new LoadedModel(generated.checked(), cached.get().model(), cached.get().type(), "from the cache");
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

  /**
   * The classes stored under {@code key}, loaded and instantiated, or empty when there are none or
   * they do not load or instantiate (an entry that cannot be ours, or whose runtime changed).
   */
  private static Optional<Early> fromCache(ClassCache cache, InMemoryCompiler compiler, String key, String qualifiedName,
      String modelKey) {
    Optional<Map<String, byte[]>> classes = cache.read(key, qualifiedName);
    if (classes.isEmpty()) return Optional.empty();
    try {
      Class<? extends Model> type = compiler.load(qualifiedName, classes.get()).asSubclass(Model.class);
      return Optional.of(new Early(modelKey, type, type.getConstructor().newInstance()));
    } catch (ReflectiveOperationException | LinkageError | ClassCastException e) {
      // Compiling afresh also reports a real problem as it would without the cache.
      return Optional.empty();
    }
  }

  /**
   * Classes taken from the cache for a model file before the file was checked (see {@link #early}):
   * the model key they were found by, the class, and an instance of it, which the JIT warm-up
   * trains on (so that it need not wait for an instance of its own; {@link #load(GeneratedModel,
   * ClassCache, Optional)} makes another for the model trained).
   */
  record Early(String modelKey, Class<? extends Model> type, Model model) {
    Model newInstance() {
      return instantiate(type, null);
    }
  }

  /**
   * The classes that {@code file}, compiled with {@code options}, compiled to last time, if
   * {@code cache} remembers them and they load; empty otherwise. They are found without checking
   * the file, so that their JIT warm-up can start while it is checked;
   * {@link #load(GeneratedModel, ClassCache, Optional)} takes them only if the checked file has the
   * same model key (it was not changed in between). Never fails: anything amiss is simply no early classes.
   */
  static Optional<Early> early(Path file, CompileOptions options, ClassCache cache) {
    try {
      Optional<String> modelKey = GeneratedModel.modelKeyOf(file, options);
      Optional<ClassCache.Remembered> remembered = modelKey.flatMap(cache::readIndex);
      if (remembered.isEmpty()) return Optional.empty();
      return fromCache(cache, InMemoryCompiler.forRuntime(), remembered.get().classKey(), remembered.get().qualifiedName(),
          modelKey.get());
    } catch (RuntimeException | LinkageError e) {
      return Optional.empty();
    }
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

  /** The metrics the source names ({@code metrics accuracy;}), by Keras' names; none without a metrics statement. */
  java.util.List<String> metrics() {
    return checked.metrics();
  }
}
