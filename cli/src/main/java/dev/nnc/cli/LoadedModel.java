package dev.nnc.cli;

import dev.nnc.compiler.Compilation;
import dev.nnc.compiler.CompileOptions;
import dev.nnc.compiler.GeneratedSource;
import dev.nnc.compiler.Kernels;
import dev.nnc.compiler.NncCompiler;
import dev.nnc.compiler.diag.SourceFile;
import dev.nnc.compiler.model.CheckedModel;
import dev.nnc.compiler.model.LossSpec;
import dev.nnc.runtime.Model;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/** A model file compiled in memory and instantiated in this JVM, with what the checker knows about it. */
record LoadedModel(CheckedModel checked, Model model) {

  /** The package of classes that {@code train} and {@code eval} compile; they never reach the disk. */
  static final String PACKAGE = "dev.nnc.generated";

  /**
   * Reads, checks and compiles {@code file} with the given maximum batch (the source's own when
   * empty) and kernels, then compiles the Java in memory and instantiates it.
   *
   * @return empty after printing why not (unreadable file, or the model's diagnostics)
   * @throws NncBug when the generated Java does not compile or load
   */
  static Optional<LoadedModel> load(Path file, OptionalInt batchSize, Kernels kernels, PrintWriter err) {
    Optional<SourceFile> source = ModelSources.read(file, err);
    if (source.isEmpty()) return Optional.empty();
    Compilation compilation = NncCompiler.compile(source.get(), new CompileOptions(PACKAGE, batchSize, kernels));
    ModelSources.printDiagnostics(compilation, err);
    if (compilation.hasErrors() || compilation.model().isEmpty() || compilation.generated().isEmpty()) {
      return Optional.empty();
    }
    GeneratedSource java = compilation.generated().get();
    Class<?> compiled;
    try {
      compiled = InMemoryCompiler.forRuntime().compileAndLoad(java.qualifiedName(), java.code());
    } catch (InMemoryCompiler.CompilationFailedException e) {
      throw new NncBug("the Java generated for " + file + " does not compile:" + System.lineSeparator() + e.getMessage());
    }
    try {
      Model model = compiled.asSubclass(Model.class).getConstructor().newInstance();
      return Optional.of(new LoadedModel(compilation.model().get(), model));
    } catch (ClassCastException | ReflectiveOperationException e) {
      Throwable cause = e instanceof InvocationTargetException ? e.getCause() : e;
      throw new NncBug("cannot instantiate " + java.qualifiedName() + " generated for " + file + ": " + cause, cause);
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
