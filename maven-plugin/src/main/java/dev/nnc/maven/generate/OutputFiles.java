package dev.nnc.maven.generate;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** File operations that keep a rebuild quiet: write only what differs, never leave half a file. */
final class OutputFiles {
  private OutputFiles() {}

  /**
   * Writes {@code content} unless the file already holds exactly it. An untouched file keeps its
   * timestamp, so javac's and the IDE's incremental builds see nothing to do.
   *
   * @return whether the file was written
   */
  static boolean writeIfChanged(Path file, byte[] content) throws IOException {
    if (Files.isRegularFile(file) && Files.size(file) == content.length
        && java.util.Arrays.equals(Files.readAllBytes(file), content)) {
      return false;
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    // Write beside the target, then rename: a build killed midway leaves the old file or the new one.
    Path temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
    try {
      Files.write(temp, content);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    return true;
  }

  /**
   * Deletes the file, then every folder above it that became empty, up to (not including) {@code root},
   * so that a removed model's package folders do not linger.
   *
   * @return whether the file existed
   */
  static boolean deleteAndPrune(Path file, Path root) throws IOException {
    boolean existed = Files.deleteIfExists(file);
    Path stop = root.toAbsolutePath().normalize();
    for (Path dir = file.toAbsolutePath().normalize().getParent();
        dir != null && dir.startsWith(stop) && !dir.equals(stop) && isEmptyDirectory(dir);
        dir = dir.getParent()) {
      Files.delete(dir);
    }
    return existed;
  }

  private static boolean isEmptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return false;
    try (var entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  /** Hex SHA-256 of the bytes. */
  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Hex SHA-256 of the file, or "" when it does not exist. */
  static String sha256(Path file) throws IOException {
    return Files.isRegularFile(file) ? sha256(Files.readAllBytes(file)) : "";
  }
}
