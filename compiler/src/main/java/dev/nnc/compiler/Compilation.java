package dev.nnc.compiler;

import dev.nnc.compiler.diag.Diagnostic;
import dev.nnc.compiler.diag.SourceFile;
import dev.nnc.compiler.model.CheckedModel;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The outcome of checking or compiling one source: every diagnostic, and, when there were no
 * errors, the checked model and (for {@link NncCompiler#compile}) the generated source.
 */
public record Compilation(
    SourceFile source, List<Diagnostic> diagnostics, Optional<CheckedModel> model, Optional<GeneratedSource> generated) {

  public Compilation {
    diagnostics = List.copyOf(diagnostics);
  }

  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
  }

  /** Every diagnostic with its source line and caret, separated by line breaks, as a compiler prints them. */
  public String renderDiagnostics() {
    return diagnostics.stream().map(d -> d.render(source)).collect(Collectors.joining(System.lineSeparator()));
  }
}
