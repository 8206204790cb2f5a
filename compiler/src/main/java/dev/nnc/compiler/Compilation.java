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

  /** The most diagnostics shown of one source, as javac's default {@code -Xmaxerrs}. */
  public static final int MAX_SHOWN = 100;

  /**
   * The first {@link #MAX_SHOWN} diagnostics with their source line and caret, separated by line
   * breaks, as a compiler prints them, then how many more there are.
   */
  public String renderDiagnostics() {
    String shown = diagnostics.stream().limit(MAX_SHOWN).map(d -> d.render(source))
        .collect(Collectors.joining(System.lineSeparator()));
    return diagnostics.size() <= MAX_SHOWN ? shown : shown + System.lineSeparator() + moreThanShown();
  }

  /** {@code "... and 9900 more errors in m.nn (only the first 100 are shown)"}, once there are more than {@link #MAX_SHOWN}. */
  public String moreThanShown() {
    return "... and " + (diagnostics.size() - MAX_SHOWN) + " more problems in " + source.displayName()
        + " (only the first " + MAX_SHOWN + " are shown)";
  }
}
