package dev.nnc.compiler;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;

/**
 * How the CLI and the Maven plugin write generated files: atomically (a temporary file beside the
 * target, renamed over it, so an interrupted run leaves the old file or the new one, never half of
 * one) and only when the content changed (an unchanged file keeps its timestamp, so IDEs and
 * incremental builds stay quiet).
 */
public final class OutputFiles {
  private OutputFiles() {}

  private static final Random RANDOM = new SecureRandom();

  /**
   * Writes {@code content} to {@code target} unless it already holds exactly that, creating missing
   * parent folders.
   *
   * @return whether the file was written
   */
  public static boolean writeIfChanged(Path target, byte[] content) throws IOException {
    if (Files.isRegularFile(target) && Files.size(target) == content.length
        && Arrays.equals(Files.readAllBytes(target), content)) {
      return false;
    }
    write(target, content);
    return true;
  }

  /** Replaces {@code target} with {@code content} in one rename, creating missing parent folders. */
  public static void write(Path target, byte[] content) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path folder = absolute.getParent();
    Files.createDirectories(folder);
    // Not Files.createTempFile: that makes the file owner-only, and the rename would keep it so.
    Path temporary = folder.resolve("." + absolute.getFileName() + "." + Long.toHexString(RANDOM.nextLong()) + ".tmp");
    try {
      Files.write(temporary, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try {
        Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
