package dev.nnc.compiler.emit;

import java.nio.charset.StandardCharsets;

/**
 * Text from the user (a file name, a path) made safe to stand inside a comment or javadoc of
 * generated source. javac decodes {@code \}{@code uXXXX} escapes before it looks for comments, so a
 * backslash could end a comment and start code; a line terminator ends a {@code //} comment and
 * {@code *}{@code /} a block comment; braces and {@code @} are javadoc syntax. Every character but
 * the plain printable ASCII ones is therefore written percent-encoded (its UTF-8 bytes as
 * {@code %XX}, as in a URL), so that what the user wrote stays readable and can never become code.
 */
public final class SourceText {
  private static final String HEX = "0123456789ABCDEF";

  private SourceText() {}

  /** {@code text} as it may appear in a {@code //} comment, a block comment or javadoc. */
  public static String comment(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); ) {
      int c = text.codePointAt(i);
      int next = i + Character.charCount(c);
      boolean endsBlockComment = c == '*' && next < text.length() && text.charAt(next) == '/';
      if (c >= 0x20 && c < 0x7F && c != '\\' && c != '%' && c != '{' && c != '}' && c != '@' && !endsBlockComment) {
        out.append((char) c);
      } else if (Character.isSurrogate((char) c)) {
        out.append("%3F"); // a lone surrogate has no UTF-8 form: shown as '?'
      } else {
        for (byte b : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(HEX.charAt((b >> 4) & 0xF)).append(HEX.charAt(b & 0xF));
        }
      }
      i = next;
    }
    return out.toString();
  }
}
