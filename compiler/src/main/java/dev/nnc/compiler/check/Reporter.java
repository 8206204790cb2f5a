package dev.nnc.compiler.check;

import dev.nnc.compiler.ast.Position;
import dev.nnc.compiler.diag.Diagnostic;
import dev.nnc.compiler.diag.SourceFile;
import java.util.ArrayList;
import java.util.List;

/** Collects the check stage's diagnostics for one source file. */
final class Reporter {
  private final SourceFile source;
  private final List<Diagnostic> diagnostics = new ArrayList<>();

  Reporter(SourceFile source) {
    this.source = source;
  }

  void error(Position at, String id, String message) {
    diagnostics.add(Diagnostic.error(source, at.line(), at.column(), id, message));
  }

  List<Diagnostic> diagnostics() {
    return List.copyOf(diagnostics);
  }

  boolean hasErrors() {
    return !diagnostics.isEmpty();
  }
}
