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

  /**
   * The headline, then the source line and a caret under the column, as javac prints them. Of a
   * long line only the part around the column is shown (so that many errors on one long line do
   * not print it each time), and characters a terminal would not show as themselves are escaped.
   */
  public String render(SourceFile source) {
    int[] codePoints = source.line(line).codePoints().toArray();
    int caretAt = Math.max(0, Math.min(column - 1, codePoints.length));
    int from = Math.max(0, caretAt - ECHO_CONTEXT);
    int to = Math.min(codePoints.length, caretAt + ECHO_CONTEXT);
    StringBuilder text = new StringBuilder(from > 0 ? "..." : "");
    StringBuilder caret = new StringBuilder(from > 0 ? "   " : "");
    for (int i = from; i < to; i++) {
      int c = codePoints[i];
      String escape = c == '\t' ? null : Texts.escape(c);
      if (escape != null) text.append(escape);
      else text.appendCodePoint(c);
      if (i < caretAt) caret.append(c == '\t' ? "\t" : " ".repeat(escape != null ? escape.length() : 1));
    }
    if (to < codePoints.length) text.append("...");
    caret.append('^');
    return headline() + System.lineSeparator() + text + System.lineSeparator() + caret;
  }

  /** Characters of the source line shown on each side of the column. */
  static final int ECHO_CONTEXT = 60;
}
