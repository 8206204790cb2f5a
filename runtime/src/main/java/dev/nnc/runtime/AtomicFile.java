package dev.nnc.runtime;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file all at once or not at all: the content goes to a temporary file in the same
 * folder (so the rename stays on one file system), which is then renamed over the target. A
 * failure part way leaves the old file as it was and no temporary file behind.
 *
 * <p>The temporary file is created as any new file is (so the user's umask decides its mode, and
 * the target gets the mode every other file gets; {@code Files.createTempFile} would make it
 * owner-only) and named after the target and this process
 * ({@code .w.npz.12345-1f2e3d.nnc-tmp}): a process killed while writing cannot remove its temporary
 * file, so the next write to the same target removes those of processes no longer running.
 *
 * <p>A target that exists but is read-only is not replaced (a rename would replace it anyway).
 */
public final class AtomicFile {
  private AtomicFile() {}

  private static final String SUFFIX = ".nnc-tmp";

  /** What fills the file. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  public static void write(Path target, Content content) {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Path temp = null;
    try {
      requireReplaceable(absolute);
      Files.createDirectories(dir);
      removeStaleTemporaries(absolute);
      temp = temporaryFor(absolute, ProcessHandle.current().pid());
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
        content.writeTo(out);
        out.flush();
        channel.force(true); // the bytes are on disk before the rename makes them visible
      }
      move(temp, absolute);
      temp = null;
    } catch (IOException e) {
      throw NncDataException.io(target, e);
    } finally {
      if (temp != null) {
        try {
          Files.deleteIfExists(temp);
        } catch (IOException ignored) {
          // the original failure is the one worth reporting
        }
      }
    }
  }

  /**
   * Checks, before work that ends in {@link #write}, that {@code target} can be written: it is no
   * folder and not read-only, and its folder (or the nearest existing one above it) takes new
   * files. Nothing is left on disk.
   *
   * @throws NncDataException saying what is in the way
   */
  public static void requireWritable(Path target) {
    Path absolute = target.toAbsolutePath();
    if (Files.isDirectory(absolute)) throw NncDataException.at(target, "is a folder; name a file to write");
    requireReplaceable(absolute);
    Path dir = absolute.getParent();
    while (dir != null && !Files.exists(dir)) dir = dir.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      throw NncDataException.at(target, "cannot be created: " + dir + " is not a folder");
    }
    if (!Files.isWritable(dir)) throw NncDataException.at(target, "cannot be created: folder " + dir + " is not writable");
  }

  private static void requireReplaceable(Path absolute) {
    if (Files.exists(absolute) && (!Files.isWritable(absolute) || withoutOwnerWrite(absolute))) {
      throw NncDataException.at(absolute, "is read-only; nnc does not replace it (make it writable, or name another file)");
    }
  }

  /** A file its owner made read-only: root may write it anyway, but should not replace it either. */
  private static boolean withoutOwnerWrite(Path file) {
    try {
      return !Files.getPosixFilePermissions(file).contains(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    } catch (UnsupportedOperationException | IOException e) {
      return false; // not POSIX: isWritable has said what there is to say
    }
  }

  private static Path temporaryFor(Path target, long pid) {
    String unique = Long.toHexString(new java.security.SecureRandom().nextLong() >>> 1);
    return target.resolveSibling("." + target.getFileName() + "." + pid + "-" + unique + SUFFIX);
  }

  /** Deletes the temporary files that processes no longer running left for {@code target}. */
  private static void removeStaleTemporaries(Path target) throws IOException {
    String prefix = "." + target.getFileName() + ".";
    DirectoryStream.Filter<Path> ours = p -> {
      String name = p.getFileName().toString();
      return name.startsWith(prefix) && name.endsWith(SUFFIX);
    };
    try (DirectoryStream<Path> siblings = Files.newDirectoryStream(target.getParent(), ours)) {
      for (Path sibling : siblings) {
        String name = sibling.getFileName().toString();
        String pid = name.substring(prefix.length(), name.length() - SUFFIX.length()).replaceFirst("-[0-9a-f]+$", "");
        if (pid.matches("[0-9]{1,18}") && ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
          Files.deleteIfExists(sibling);
        }
      }
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
