package dev.nnc.compiler.diag;

import java.util.Locale;

/**
 * How a message shows text taken from the source: quoted, on one line, cut when long, and with
 * every character that a terminal would not show as itself written as an escape: control
 * characters (ESC starts terminal commands), bidirectional controls (which make text display in
 * another order than it reads), zero-width characters, a byte order mark, spaces other than the
 * ASCII one, line separators and lone surrogates.
 */
public final class Texts {
  private Texts() {}

  private static final int MAX_SHOWN_LENGTH = 40;

  /** {@code 'text'}, with control characters escaped and text past 40 characters cut with "...". */
  public static String quoted(String text) {
    return "'" + shown(text) + "'";
  }

  public static String shown(String text) {
    String visible = visible(text.codePoints().limit(MAX_SHOWN_LENGTH));
    return text.codePointCount(0, text.length()) > MAX_SHOWN_LENGTH ? visible + "..." : visible;
  }

  /** {@code text} whole, on one line, every character a terminal would not show as itself escaped (a file name in a message). */
  public static String visible(String text) {
    return visible(text.codePoints());
  }

  private static String visible(java.util.stream.IntStream codePoints) {
    StringBuilder out = new StringBuilder();
    codePoints.forEach(c -> {
      String escape = escape(c);
      if (escape != null) out.append(escape);
      else out.appendCodePoint(c);
    });
    return out.toString();
  }

  /** How {@code c} is shown in a message or an echoed line, or null if it may be shown as itself. */
  public static String escape(int c) {
    switch (c) {
      case '\n': return "\\n";
      case '\r': return "\\r";
      case '\t': return "\\t";
      default:
        return isInvisible(c) ? String.format(Locale.ROOT, "\\u%04x", c) : null;
    }
  }

  /** Whether {@code c} would not show as itself on a terminal (see the class comment). */
  public static boolean isInvisible(int c) {
    if (c == ' ') return false;
    int type = Character.getType(c);
    return Character.isISOControl(c) || c == 0xFFFD
        || type == Character.FORMAT || type == Character.UNASSIGNED || type == Character.SURROGATE
        || type == Character.PRIVATE_USE || type == Character.SPACE_SEPARATOR
        || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
  }

  /**
   * {@code U+202E RIGHT-TO-LEFT OVERRIDE, a bidirectional control}: what an invisible character
   * is, for a message that reports one.
   */
  public static String describe(int c) {
    String name = Character.getName(c);
    String code = String.format(Locale.ROOT, "U+%04X", c);
    String kind = c == 0xFEFF ? "a byte order mark; save the file as UTF-8 without one"
        : Character.getDirectionality(c) >= Character.DIRECTIONALITY_LEFT_TO_RIGHT_EMBEDDING
                && Character.getType(c) == Character.FORMAT || c == 0x200E || c == 0x200F || c == 0x061C
            ? "a bidirectional control, which makes text display in another order than it reads"
        : c == 0x1B ? "the escape character, which starts terminal commands"
        : Character.isISOControl(c) ? "a control character"
        : c >= 0x200B && c <= 0x200D || c == 0x2060 ? "a zero-width character"
        : Character.getType(c) == Character.SPACE_SEPARATOR ? "a space other than the ASCII one"
        : null;
    return code + (name == null ? "" : " " + name) + (kind == null ? "" : ", " + kind);
  }
}
