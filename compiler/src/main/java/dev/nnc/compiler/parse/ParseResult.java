package dev.nnc.compiler.parse;

import dev.nnc.compiler.ast.ModelFile;
import dev.nnc.compiler.diag.Diagnostic;
import java.util.List;

/**
 * The AST (partial when there were syntax errors) and the syntax diagnostics, in source order.
 * {@code complete} is false when parsing stopped after too many syntax errors: the AST is then
 * empty, and checking it would only add errors about what was not read.
 */
public record ParseResult(ModelFile file, List<Diagnostic> diagnostics, boolean complete) {
  public ParseResult {
    diagnostics = List.copyOf(diagnostics);
  }

  public ParseResult(ModelFile file, List<Diagnostic> diagnostics) {
    this(file, diagnostics, true);
  }

  public boolean hasErrors() {
    return !diagnostics.isEmpty();
  }
}
