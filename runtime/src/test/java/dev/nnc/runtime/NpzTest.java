package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzTest {
  @TempDir Path dir;

  private static Map<String, NpyArray> sample() {
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    arrays.put("dense_1/kernel", NpyArray.ofFloats(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6}));
    arrays.put("dense_1/bias", NpyArray.ofFloats(new int[] {3}, new float[] {-1, 0, 1}));
    arrays.put("labels", new NpyArray(NpyType.UINT8, new int[] {4}, new float[] {0, 9, 3, 255}));
    return arrays;
  }

  private static void assertSameArrays(Map<String, NpyArray> expected, Map<String, NpyArray> actual) {
    assertEquals(List.copyOf(expected.keySet()), List.copyOf(actual.keySet()));
    for (String name : expected.keySet()) {
      assertEquals(expected.get(name).type(), actual.get(name).type(), name);
      assertArrayEquals(expected.get(name).shape(), actual.get(name).shape(), name);
      assertArrayEquals(expected.get(name).data(), actual.get(name).data(), name);
    }
  }

  @Test
  void roundTripsStoredAndDeflatedWithSlashesInNames() throws IOException {
    for (boolean compressed : new boolean[] {false, true}) {
      Path file = dir.resolve("w" + compressed + ".npz");
      Npz.write(file, sample(), compressed);
      assertSameArrays(sample(), Npz.read(file));
      try (ZipFile zip = new ZipFile(file.toFile())) {
        ZipEntry kernel = zip.getEntry("dense_1/kernel.npy");
        assertEquals(compressed ? ZipEntry.DEFLATED : ZipEntry.STORED, kernel.getMethod());
        // each entry is exactly the .npy bytes Npy writes
        assertArrayEquals(zip.getInputStream(kernel).readAllBytes(), npyBytes(sample().get("dense_1/kernel")));
      }
    }
  }

  @Test
  void sameArraysGiveTheSameBytes() throws IOException {
    Npz.write(dir.resolve("a.npz"), sample());
    Npz.write(dir.resolve("b.npz"), sample());
    assertArrayEquals(Files.readAllBytes(dir.resolve("a.npz")), Files.readAllBytes(dir.resolve("b.npz")));
  }

  @Test
  void readsAnArchiveBuiltByHand() throws IOException {
    // as np.savez_compressed builds it: deflated entries named NAME.npy
    Path file = dir.resolve("hand.npz");
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("x.npy"));
      zip.write(NpyFixtures.npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", NpyFixtures.littleEndianFloats(3, 4)));
      zip.closeEntry();
    }
    assertArrayEquals(new float[] {3, 4}, Npz.read(file).get("x").data());
  }

  @Test
  void namesTheArrayThatIsCorrupt() throws IOException {
    Path file = dir.resolve("bad.npz");
    try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("dense_1/kernel.npy"));
      byte[] full = NpyFixtures.npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", NpyFixtures.littleEndianFloats(3, 4));
      zip.write(full, 0, full.length - 1);
      zip.closeEntry();
    }
    assertEquals(file + ": array 'dense_1/kernel': truncated at byte 135: shape [2] of float32 needs 136 bytes",
        assertThrows(NncDataException.class, () -> Npz.read(file)).getMessage());
  }

  @Test
  void rejectsFilesThatAreNotArchivesOfArrays() throws IOException {
    Path text = Files.writeString(dir.resolve("text.npz"), "hello");
    assertEquals(text + ": not a valid .npz (zip) archive: zip END header not found",
        assertThrows(NncDataException.class, () -> Npz.read(text)).getMessage());

    Path npy = dir.resolve("single.npz");
    Npy.write(npy, NpyArray.ofFloats(new int[] {1}, new float[] {1}));
    assertEquals(npy + ": is a single .npy array, not an .npz archive of named arrays",
        assertThrows(NncDataException.class, () -> Npz.read(npy)).getMessage());

    Path other = dir.resolve("other.npz");
    try (OutputStream out = Files.newOutputStream(other); ZipOutputStream zip = new ZipOutputStream(out)) {
      zip.putNextEntry(new ZipEntry("notes.txt"));
      zip.closeEntry();
    }
    assertEquals(other + ": entry 'notes.txt' is not a .npy array",
        assertThrows(NncDataException.class, () -> Npz.read(other)).getMessage());
  }

  @Test
  void aFailedWriteLeavesTheOldFileAndNoTemporaryFile() throws IOException {
    Path file = dir.resolve("w.npz");
    Npz.write(file, sample());
    byte[] before = Files.readAllBytes(file);
    Map<String, NpyArray> bad = new LinkedHashMap<>(sample());
    bad.put("z", new NpyArray(NpyType.INT8, new int[] {1}, new float[] {300})); // fails part way
    assertThrows(IllegalArgumentException.class, () -> Npz.write(file, bad));
    assertArrayEquals(before, Files.readAllBytes(file));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  private static byte[] npyBytes(NpyArray a) throws IOException {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    Npy.write(out, a);
    return out.toByteArray();
  }
}
