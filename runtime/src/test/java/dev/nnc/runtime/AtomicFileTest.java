package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Weights, history and cache files are written whole or not at all, with the mode any new file gets, and never over a read-only file. */
class AtomicFileTest {
  @TempDir Path dir;

  @Test
  void aWrittenFileHasTheModeOfAnyNewFileNotOwnerOnly() throws Exception {
    Path plain = Files.createFile(dir.resolve("plain"));
    Path weights = dir.resolve("w.npz");
    Npz.write(weights, Map.of("a", NpyArray.ofFloats(new int[] {1}, new float[] {1})));
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(weights));
  }

  @Test
  void aReadOnlyTargetIsNotReplaced() throws Exception {
    Path target = Files.writeString(dir.resolve("h.csv"), "precious");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("r--r--r--"));
    NncDataException e = assertThrows(NncDataException.class, () -> AtomicFile.write(target, out -> out.write(1)));
    assertTrue(e.getMessage().endsWith("h.csv: is read-only; nnc does not replace it (make it writable, or name another file)"),
        e.getMessage());
    assertThrows(NncDataException.class, () -> AtomicFile.requireWritable(target));
    assertEquals("precious", Files.readString(target));
  }

  @Test
  void temporariesOfProcessesNoLongerRunningAreRemovedByTheNextWrite() throws Exception {
    long finished = new ProcessBuilder("true").start().pid();
    while (ProcessHandle.of(finished).isPresent()) Thread.sleep(10);
    Path stale = Files.writeString(dir.resolve(".w.npz." + finished + "-1a2b.nnc-tmp"), "");
    Path running = Files.writeString(dir.resolve(".w.npz." + ProcessHandle.current().pid() + "-3c4d.nnc-tmp"), "");
    Path other = Files.writeString(dir.resolve(".x.npz." + finished + "-5e6f.nnc-tmp"), "");
    AtomicFile.write(dir.resolve("w.npz"), out -> out.write(7));
    assertFalse(Files.exists(stale), "a dead process's temporary is removed");
    assertTrue(Files.exists(running), "a live one's is left alone");
    assertTrue(Files.exists(other), "another target's is left alone");
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of("w.npz"), files.map(f -> f.getFileName().toString()).filter(n -> !n.startsWith(".")).toList());
    }
  }
}
