package dev.nnc.cli;

import dev.nnc.compiler.Compilation;
import dev.nnc.compiler.CompileOptions;
import dev.nnc.compiler.GeneratedSource;
import dev.nnc.compiler.Kernels;
import dev.nnc.compiler.NncCompiler;
import dev.nnc.compiler.diag.SourceFile;
import dev.nnc.compiler.model.CheckedModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/** A model file that has been read, checked and turned into Java source, not yet compiled. */
record GeneratedModel(Path file, CheckedModel checked, GeneratedSource java) {

  /** The package of classes that {@code train} and {@code eval} compile; they never reach the disk. */
  static final String PACKAGE = "dev.nnc.generated";

  /**
   * Reads and checks {@code file} and generates its Java with the given maximum batch (the source's
   * own when empty) and kernels.
   *
   * @return empty after printing why not (unreadable file, or the model's diagnostics)
   */
  static Optional<GeneratedModel> generate(Path file, OptionalInt batchSize, Kernels kernels, PrintWriter err) {
    Optional<SourceFile> source = ModelSources.read(file, err);
    if (source.isEmpty()) return Optional.empty();
    Compilation compilation = NncCompiler.compile(source.get(), new CompileOptions(PACKAGE, batchSize, kernels));
    ModelSources.printDiagnostics(compilation, err);
    if (compilation.hasErrors() || compilation.model().isEmpty() || compilation.generated().isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new GeneratedModel(file, compilation.model().get(), compilation.generated().get()));
  }
}
