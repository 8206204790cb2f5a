package dev.nnc.cli;

import dev.nnc.compiler.Compilation;
import dev.nnc.compiler.diag.SourceFile;
import dev.nnc.compiler.diag.Texts;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Reading model files and printing what the compiler says about them. */
final class ModelSources {
  private ModelSources() {}

  /** The file's text, or empty after printing why it cannot be read. */
  static Optional<SourceFile> read(Path file, PrintWriter err) {
    if (Files.isDirectory(file)) {
      err.println("nnc: error: " + Texts.visible(file + ": is a folder, not a model file"));
      return Optional.empty();
    }
    try {
      return Optional.of(SourceFile.read(file));
    } catch (SourceFile.NotUtf8Exception e) {
      err.println("nnc: error: " + Texts.visible(e.getMessage()));
    } catch (IOException e) {
      err.println("nnc: error: " + Texts.visible(Failures.describe(e)));
    }
    return Optional.empty();
  }

  /** Prints every diagnostic of {@code compilation} (errors and warnings) to {@code err}, exactly as the compiler renders them. */
  static void printDiagnostics(Compilation compilation, PrintWriter err) {
    if (!compilation.diagnostics().isEmpty()) {
      err.println(compilation.renderDiagnostics());
    }
  }
}
