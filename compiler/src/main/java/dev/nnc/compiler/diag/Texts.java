package dev.nnc.compiler.diag;

/** How a message shows text taken from the source: quoted, on one line, and cut when long. */
public final class Texts {
  private Texts() {}

  private static final int MAX_SHOWN_LENGTH = 40;

  /** {@code 'text'}, with control characters escaped and text past 40 characters cut with "...". */
  public static String quoted(String text) {
    return "'" + shown(text) + "'";
  }

  public static String shown(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints().limit(MAX_SHOWN_LENGTH).forEach(c -> {
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (Character.isISOControl(c) || !Character.isDefined(c) || c == 0xFFFD) {
            out.append(String.format("\\u%04x", c));
          } else {
            out.appendCodePoint(c);
          }
        }
      }
    });
    return text.codePointCount(0, text.length()) > MAX_SHOWN_LENGTH ? out + "..." : out.toString();
  }
}
