package dev.nnc.compiler.diag;

/**
 * One problem in a source file, at a 1-based line and column. {@code id} is the stable kind of the
 * problem ({@code unknown-activation}); every id is listed in docs/diagnostics.md and has a test.
 * {@code message} is the text without the id.
 */
public record Diagnostic(Severity severity, String file, int line, int column, String message, String id) {

  public enum Severity {
    ERROR, WARNING;

    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static Diagnostic error(SourceFile source, int line, int column, String id, String message) {
    return new Diagnostic(Severity.ERROR, source.displayName(), line, column, message, id);
  }

  /** {@code FILE:LINE:COL: error: MESSAGE [id]}, one line. */
  public String headline() {
    return file + ":" + line + ":" + column + ": " + severity.label() + ": " + message + " [" + id + "]";
  }

  /** The headline, then the source line and a caret under the column, as javac prints them. */
  public String render(SourceFile source) {
    String text = source.line(line);
    StringBuilder caret = new StringBuilder();
    for (int i = 0; i < column - 1 && i < text.length(); i++) {
      caret.append(text.charAt(i) == '\t' ? '\t' : ' ');
    }
    caret.append('^');
    return headline() + System.lineSeparator() + text + System.lineSeparator() + caret;
  }
}
