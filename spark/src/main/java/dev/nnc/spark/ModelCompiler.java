package dev.nnc.spark;

import dev.nnc.cli.InMemoryCompiler;
import dev.nnc.compiler.Compilation;
import dev.nnc.compiler.CompileOptions;
import dev.nnc.compiler.GeneratedSource;
import dev.nnc.compiler.Kernels;
import dev.nnc.compiler.NncCompiler;
import dev.nnc.compiler.diag.SourceFile;
import dev.nnc.compiler.model.CheckedModel;
import java.io.PrintStream;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Turns a model source into bytecode on the driver: parse, check, plan and emit with the nnc
 * compiler, then javac in memory (the same in-memory compiler {@code nnc train} uses). Executors
 * never compile; they define the classes from the bytes the driver broadcasts.
 */
final class ModelCompiler {
  /** The package of classes compiled from a model source; they never reach the disk. */
  static final String PACKAGE = "dev.nnc.spark.generated";

  private ModelCompiler() {}

  /** A checked model and its Java, for one kind of kernels. */
  record Generated(CheckedModel checked, GeneratedSource java, Kernels kernels) {}

  /**
   * Checks {@code text} and generates its Java for at most {@code batchSize} samples a step (the
   * source's own batch when empty). Warnings go to {@code warnings}.
   *
   * @throws ModelSourceException with the compiler's diagnostics when the source has errors
   */
  static Generated generate(String sourceName, String text, OptionalInt batchSize, Kernels kernels, PrintStream warnings) {
    SourceFile source = SourceFile.of(sourceName, text);
    Compilation compilation = NncCompiler.compile(source, new CompileOptions(PACKAGE, batchSize, kernels));
    if (compilation.hasErrors() || compilation.model().isEmpty() || compilation.generated().isEmpty()) {
      throw new ModelSourceException(compilation.renderDiagnostics());
    }
    if (!compilation.diagnostics().isEmpty() && warnings != null) warnings.println(compilation.renderDiagnostics());
    return new Generated(compilation.model().get(), compilation.generated().get(), kernels);
  }

  /** Compiles the generated Java with javac, in memory. */
  static ModelCode javac(Generated generated) {
    GeneratedSource java = generated.java();
    try {
      Map<String, byte[]> classes = InMemoryCompiler.forRuntime().compile(Map.of(java.qualifiedName(), java.code()));
      return new ModelCode(java.qualifiedName(), classes, generated.kernels());
    } catch (InMemoryCompiler.CompilationFailedException e) {
      // The compiler checked the source: Java it generates that javac rejects is a bug in nnc.
      throw new IllegalStateException("nnc bug: the Java generated for " + java.qualifiedName()
          + " does not compile:" + System.lineSeparator() + e.getMessage(), e);
    }
  }
}
