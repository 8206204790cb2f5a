package dev.nnc.maven.generate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** File operations that keep a rebuild quiet: write only what differs, never leave half a file. */
final class OutputFiles {
  private OutputFiles() {}

  /** Writes {@code content} atomically unless the file already holds exactly it; see the compiler's {@code OutputFiles}. */
  static boolean writeIfChanged(Path file, byte[] content) throws IOException {
    return dev.nnc.compiler.OutputFiles.writeIfChanged(file, content);
  }

  /**
   * Deletes the file if it lies below {@code root}, then every folder above it that became empty, up to (not including) {@code root},
   * so that a removed model's package folders do not linger.
   *
   * @return whether the file existed
   */
  static boolean deleteAndPrune(Path file, Path root) throws IOException {
    Path stop = root.toAbsolutePath().normalize();
    // Only ever below the output folder, whatever a (damaged or crafted) state file says.
    Path target = file.toAbsolutePath().normalize();
    if (!target.startsWith(stop) || target.equals(stop)) return false;
    boolean existed = Files.deleteIfExists(file);
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
