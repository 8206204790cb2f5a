package dev.nnc.compiler.diag;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One model source: the name diagnostics show (the path as the user gave it), the bare file name
 * (which names the model when it has no {@code model Name { }} header) and the text.
 */
public final class SourceFile {
  private final String displayName;
  private final String fileName;
  private final String text;
  /** Offsets where each line starts, built on first use: rendering many diagnostics stays linear. */
  private int[] lineStarts;

  public SourceFile(String displayName, String fileName, String text) {
    this.displayName = displayName;
    this.fileName = fileName;
    this.text = text;
  }

  /** The file at {@code path}, which must be UTF-8 (see {@link #decode}). */
  public static SourceFile read(Path path) throws IOException {
    byte[] bytes = Files.readAllBytes(path);
    Path name = path.getFileName();
    return decode(path.toString(), name == null ? path.toString() : name.toString(), bytes);
  }

  /**
   * {@code bytes} as UTF-8 text. Bytes that are not UTF-8 (a Latin-1 'é', say) are refused, never
   * replaced, so that the CLI and the Maven plugin read every file the same way.
   *
   * @throws NotUtf8Exception naming the first bad byte and its line and column
   */
  public static SourceFile decode(String displayName, String fileName, byte[] bytes) throws NotUtf8Exception {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      String before = new String(bytes, 0, in.position(), StandardCharsets.UTF_8);
      SourceFile prefix = new SourceFile(displayName, fileName, before);
      int line = prefix.lineStarts().length;
      int column = before.length() - prefix.lineStarts()[line - 1] + 1;
      throw new NotUtf8Exception(String.format(java.util.Locale.ROOT,
          "%s:%d:%d: not UTF-8 text: byte 0x%02X (save the file as UTF-8)",
          displayName, line, column, bytes[in.position()] & 0xFF));
    }
    decoder.flush(out);
    return new SourceFile(displayName, fileName, out.flip().toString());
  }

  /** A model file that is not UTF-8 text; the message names the file, line, column and byte. */
  public static final class NotUtf8Exception extends IOException {
    private static final long serialVersionUID = 1L;

    NotUtf8Exception(String message) {
      super(message);
    }
  }

  /** For tests and in-memory use: {@code displayName} and file name are the same. */
  public static SourceFile of(String fileName, String text) {
    return new SourceFile(fileName, fileName, text);
  }

  public String displayName() {
    return displayName;
  }

  public String fileName() {
    return fileName;
  }

  public String text() {
    return text;
  }

  /** The 1-based line's text without its line terminator, or "" past the end. */
  public String line(int line) {
    int[] starts = lineStarts();
    if (line < 1 || line > starts.length) return "";
    int start = starts[line - 1];
    int end = line < starts.length ? starts[line] : text.length();
    while (end > start && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) end--;
    return text.substring(start, end);
  }

  private synchronized int[] lineStarts() {
    if (lineStarts == null) {
      List<Integer> starts = new ArrayList<>();
      starts.add(0);
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
        if (c == '\n' || c == '\r') starts.add(i + 1);
      }
      lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }
    return lineStarts;
  }

  @Override
  public String toString() {
    return "SourceFile[" + displayName + "]";
  }
}
