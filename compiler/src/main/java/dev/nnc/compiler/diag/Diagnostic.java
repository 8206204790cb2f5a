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
    return Texts.visible(file) + ":" + line + ":" + column + ": " + severity.label() + ": " + message + " [" + id + "]";
  }

  /**
   * The headline, then the source line and a caret under the column, as javac prints them. Of a
   * long line only the part around the column is shown (so that many errors on one long line do
   * not print it each time), and characters a terminal would not show as themselves are escaped.
   */
  public String render(SourceFile source) {
    String full = source.line(line);
    // Columns count code points (as the lexer does); only the window around the caret is decoded.
    int caretOffset = full.offsetByCodePoints(0, Math.max(0, Math.min(column - 1, full.codePointCount(0, full.length()))));
    int fromOffset = caretOffset;
    for (int k = 0; k < ECHO_CONTEXT && fromOffset > 0; k++) fromOffset = full.offsetByCodePoints(fromOffset, -1);
    int toOffset = caretOffset;
    for (int k = 0; k < ECHO_CONTEXT && toOffset < full.length(); k++) toOffset = full.offsetByCodePoints(toOffset, 1);
    int[] codePoints = full.substring(fromOffset, toOffset).codePoints().toArray();
    int caretAt = full.codePointCount(fromOffset, caretOffset);
    boolean cutBefore = fromOffset > 0;
    StringBuilder text = new StringBuilder(cutBefore ? "..." : "");
    StringBuilder caret = new StringBuilder(cutBefore ? "   " : "");
    for (int i = 0; i < codePoints.length; i++) {
      int c = codePoints[i];
      String escape = c == '\t' ? null : Texts.escape(c);
      if (escape != null) text.append(escape);
      else text.appendCodePoint(c);
      if (i < caretAt) caret.append(c == '\t' ? "\t" : " ".repeat(escape != null ? escape.length() : 1));
    }
    if (toOffset < full.length()) text.append("...");
    caret.append('^');
    return headline() + System.lineSeparator() + text + System.lineSeparator() + caret;
  }

  /** Characters of the source line shown on each side of the column. */
  static final int ECHO_CONTEXT = 60;
}
