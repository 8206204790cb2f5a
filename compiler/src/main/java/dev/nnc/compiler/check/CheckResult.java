package dev.nnc.compiler.check;

import dev.nnc.compiler.diag.Diagnostic;
import dev.nnc.compiler.model.CheckedModel;
import java.util.List;
import java.util.Optional;

/** Every diagnostic of a source (parse and check, in source order) and the checked model when there was no error. */
public record CheckResult(Optional<CheckedModel> model, List<Diagnostic> diagnostics) {
  public CheckResult {
    diagnostics = List.copyOf(diagnostics);
  }
}
