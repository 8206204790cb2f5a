package dev.nnc.compiler.diag;

import java.io.IOException;
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

  public static SourceFile read(Path path) throws IOException {
    String text = Files.readString(path, StandardCharsets.UTF_8);
    Path name = path.getFileName();
    return new SourceFile(path.toString(), name == null ? path.toString() : name.toString(), text);
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
