package dev.nnc.compiler.check;

import dev.nnc.compiler.diag.Diagnostic;
import dev.nnc.compiler.diag.SourceFile;
import dev.nnc.compiler.model.CheckedModel;
import dev.nnc.compiler.parse.ModelParser;
import java.util.List;

/** Parse and check in one call, for tests. */
final class CheckTesting {
  private CheckTesting() {}

  static CheckResult check(String fileName, String text) {
    SourceFile source = SourceFile.of(fileName, text);
    return ModelChecker.check(ModelParser.parse(source), source);
  }

  static List<String> headlines(String text) {
    return check("m.nn", text).diagnostics().stream().map(Diagnostic::headline).toList();
  }

  /** The checked model of a source that must have no diagnostics at all. */
  static CheckedModel model(String fileName, String text) {
    CheckResult result = check(fileName, text);
    if (!result.diagnostics().isEmpty() || result.model().isEmpty()) {
      throw new AssertionError("expected a clean model, got " + result.diagnostics());
    }
    return result.model().get();
  }
}
