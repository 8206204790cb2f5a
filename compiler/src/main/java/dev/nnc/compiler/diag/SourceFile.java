package dev.nnc.compiler.diag;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One model source: the name diagnostics show (the path as the user gave it), the bare file name
 * (which names the model when it has no {@code model Name { }} header) and the text.
 */
public record SourceFile(String displayName, String fileName, String text) {

  public static SourceFile read(Path path) throws IOException {
    String text = Files.readString(path, StandardCharsets.UTF_8);
    Path name = path.getFileName();
    return new SourceFile(path.toString(), name == null ? path.toString() : name.toString(), text);
  }

  /** For tests and in-memory use: {@code displayName} and file name are the same. */
  public static SourceFile of(String fileName, String text) {
    return new SourceFile(fileName, fileName, text);
  }

  /** The 1-based line's text without its line terminator, or "" past the end. */
  public String line(int line) {
    String[] lines = text.split("\r\n|\r|\n", -1);
    return line >= 1 && line <= lines.length ? lines[line - 1] : "";
  }
}
