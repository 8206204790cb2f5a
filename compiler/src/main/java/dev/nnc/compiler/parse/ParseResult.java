package dev.nnc.compiler.parse;

import dev.nnc.compiler.ast.ModelFile;
import dev.nnc.compiler.diag.Diagnostic;
import java.util.List;

/** The AST (partial when there were syntax errors) and the syntax diagnostics, in source order. */
public record ParseResult(ModelFile file, List<Diagnostic> diagnostics) {
  public ParseResult {
    diagnostics = List.copyOf(diagnostics);
  }

  public boolean hasErrors() {
    return !diagnostics.isEmpty();
  }
}
