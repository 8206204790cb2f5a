package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InflatedCopiesTest {
  @TempDir Path dir;

  /** 28x28 images of random pixels, enough of them that their gzip file is worth a copy. */
  private static byte[] images(long seed) {
    int count = 1500;
    ByteBuffer b = ByteBuffer.allocate(16 + count * 784).putInt(0x803).putInt(count).putInt(28).putInt(28);
    byte[] pixels = new byte[count * 784];
    new SplittableRandom(seed).nextBytes(pixels);
    return b.put(pixels).array();
  }

  private Path gzipFile(String name, byte[] raw) throws IOException {
    Path file = Files.write(dir.resolve(name), IdxTest.gzip(raw));
    assertTrue(Files.size(file) >= InflatedCopies.MIN_COMPRESSED_BYTES, "the test file is big enough for a copy");
    return file;
  }

  private List<Path> copies(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) return List.of();
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".idx")).sorted().toList();
    }
  }

  private static byte[] values(byte[] raw) {
    return java.util.Arrays.copyOfRange(raw, 16, raw.length);
  }

  @Test
  void aCompressedFileIsReadFromItsCopyOnceKept() throws IOException {
    byte[] raw = images(1);
    Path file = gzipFile("train-images-idx3-ubyte.gz", raw);
    InflatedCopies copies = InflatedCopies.in(dir.resolve("copies"));

    assertArrayEquals(values(raw), Idx.readImages(file, copies).bytes());
    List<Path> kept = copies(dir.resolve("copies"));
    assertEquals(1, kept.size());
    assertArrayEquals(raw, Files.readAllBytes(kept.get(0)), "the copy is the inflated file");

    // Garbage in the middle of the deflate stream, the file's size, time and trailer unchanged: only a
    // read from the copy still gets the images.
    FileTime time = Files.getLastModifiedTime(file);
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(f.length() / 2);
      f.write(new byte[4096]);
    }
    Files.setLastModifiedTime(file, time);
    assertThrows(NncDataException.class, () -> Idx.readImages(file));
    assertArrayEquals(values(raw), Idx.readImages(file, copies).bytes());
  }

  @Test
  void aChangedFileIsInflatedAgain() throws IOException {
    Path file = gzipFile("images.gz", images(1));
    InflatedCopies copies = InflatedCopies.in(dir.resolve("copies"));
    Idx.readImages(file, copies);

    byte[] changed = images(2);
    Files.write(file, IdxTest.gzip(changed));
    assertArrayEquals(values(changed), Idx.readImages(file, copies).bytes());
    assertEquals(2, copies(dir.resolve("copies")).size(), "a copy for each version of the file");
  }

  @Test
  void aDamagedCopyIsNotUsedAndIsReplaced() throws IOException {
    byte[] raw = images(3);
    Path file = gzipFile("images.gz", raw);
    InflatedCopies copies = InflatedCopies.in(dir.resolve("copies"));
    Idx.readImages(file, copies);
    Path copy = copies(dir.resolve("copies")).get(0);

    try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
      f.seek(1000);
      int b = f.read();
      f.seek(1000);
      f.write(b ^ 1);
    }
    assertArrayEquals(values(raw), Idx.readImages(file, copies).bytes(), "a pixel of the copy was flipped");
    assertArrayEquals(raw, Files.readAllBytes(copy), "the copy made anew");

    Files.write(copy, java.util.Arrays.copyOf(raw, 5000));
    assertArrayEquals(values(raw), Idx.readImages(file, copies).bytes(), "the copy was cut short");
    assertArrayEquals(raw, Files.readAllBytes(copy));
  }

  @Test
  void keepsTheCopiesUsedLast() throws IOException {
    Path folder = dir.resolve("copies");
    InflatedCopies copies = InflatedCopies.in(folder);
    List<Path> made = new java.util.ArrayList<>();
    for (int i = 0; i < InflatedCopies.KEPT; i++) {
      Idx.readImages(gzipFile("images-" + i + ".gz", images(100 + i)), copies);
      Path copy = copies(folder).stream().filter(c -> !made.contains(c)).findFirst().orElseThrow();
      Files.setLastModifiedTime(copy, FileTime.fromMillis(1_000_000L * (i + 1))); // used in this order
      made.add(copy);
    }
    Idx.readImages(dir.resolve("images-0.gz"), copies); // the first copy used again, now
    Idx.readImages(gzipFile("images-new.gz", images(99)), copies);

    List<Path> kept = copies(folder);
    assertEquals(InflatedCopies.KEPT, kept.size());
    assertTrue(kept.contains(made.get(0)), "the copy used last but one stays");
    assertTrue(!kept.contains(made.get(1)), "the copy used longest ago goes");
  }

  /** 28x28 images, each pixel non-zero with probability 0.15 (a random byte then), enough of them for a copy. */
  private static byte[] sparseImages(long seed) {
    int count = 6000;
    ByteBuffer b = ByteBuffer.allocate(16 + count * 784).putInt(0x803).putInt(count).putInt(28).putInt(28);
    SplittableRandom random = new SplittableRandom(seed);
    for (int p = 0; p < count * 784; p++) b.put(random.nextInt(100) < 15 ? (byte) (1 + random.nextInt(255)) : 0);
    return b.array();
  }

  private static byte[] labelsFor(byte[] images) {
    int count = ByteBuffer.wrap(images).getInt(4);
    return IdxTest.labels(new int[count]);
  }

  private List<Path> packedCopies(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".packed")).sorted().toList();
    }
  }

  /** The pixels of {@code raw} as {@link Datasets#fromIdx} gives them: divided by 255. */
  private static float[] pixels(byte[] raw) {
    byte[] values = values(raw);
    float[] pixels = new float[values.length];
    for (int i = 0; i < values.length; i++) pixels[i] = (values[i] & 0xFF) / 255f;
    return pixels;
  }

  /** A gzip file of sparse images and a raw file of their labels, read through copies in {@code copies/}. */
  private record SparseFiles(byte[] raw, Path images, Path labels, Path folder, InflatedCopies copies) {
    Dataset read() {
      return Datasets.fromIdx(images, labels, FeatureScaling.UINT8_TO_UNIT, copies);
    }
  }

  private SparseFiles sparseFiles(long seed) throws IOException {
    byte[] raw = sparseImages(seed);
    Path folder = dir.resolve("copies");
    return new SparseFiles(raw, gzipFile("images.gz", raw), Files.write(dir.resolve("labels"), labelsFor(raw)), folder,
        InflatedCopies.in(folder));
  }

  @Test
  void sparseImagesAreKeptPackedInsteadOfRaw() throws IOException {
    SparseFiles files = sparseFiles(6);
    byte[] raw = files.raw();
    Path images = files.images();
    Path folder = files.folder();

    Dataset first = files.read();
    assertEquals(List.of(), copies(folder), "no raw copy beside the packed one");
    List<Path> packed = packedCopies(folder);
    assertEquals(1, packed.size());
    assertTrue(Files.size(packed.get(0)) < raw.length * 0.6, "the packed copy is smaller than the raw content");

    // Inflating the file again would fail: only the packed copy can give the images now.
    FileTime time = Files.getLastModifiedTime(images);
    try (RandomAccessFile f = new RandomAccessFile(images.toFile(), "rw")) {
      f.seek(f.length() / 2);
      f.write(new byte[4096]);
    }
    Files.setLastModifiedTime(images, time);
    Dataset again = files.read();
    assertArrayEquals(pixels(raw), first.features());
    assertArrayEquals(pixels(raw), again.features());
    assertEquals(6000, again.size());
    assertTrue(again.packedBytes() != null, "held packed");
  }

  /** The pairs of features a model asks for are made once, kept beside the packed copy, and read from it the next time. */
  @Test
  void pairsAreKeptOnceAskedForAndReadBackAsMade() throws IOException {
    SparseFiles files = sparseFiles(8);
    Dataset first = files.read();
    assertEquals(List.of(), pairsCopies(files.folder()), "no pairs until a model asks for them");
    PackedPairs made = first.packedPairs();
    PackedPairs expected = PackedPairs.of(first.packedBytes());
    assertArrayEquals(expected.entries(), made.entries());
    assertArrayEquals(expected.starts(), made.starts());
    assertEquals(1, pairsCopies(files.folder()).size());
    PackedPairs read = files.read().packedPairs();
    assertArrayEquals(expected.entries(), read.entries(), "read back from the pairs copy");
    assertArrayEquals(expected.starts(), read.starts());
  }

  @Test
  void aDamagedPairsCopyIsNotUsedAndIsReplaced() throws IOException {
    SparseFiles files = sparseFiles(9);
    PackedPairs expected = files.read().packedPairs();
    Path copy = pairsCopies(files.folder()).get(0);
    byte[] made = Files.readAllBytes(copy);
    // A byte of an entry, one of the starts, the header's sample count; then the end cut off.
    for (int at : new int[] {made.length - 1000, 16 + 4 * 4 + 400, 16 + 4}) {
      byte[] damaged = made.clone();
      damaged[at] ^= 1;
      Files.write(copy, damaged);
      PackedPairs read = files.read().packedPairs();
      assertArrayEquals(expected.entries(), read.entries(), "byte " + at + " flipped");
      assertArrayEquals(expected.starts(), read.starts(), "byte " + at + " flipped");
      assertArrayEquals(made, Files.readAllBytes(copy), "the pairs copy made anew after byte " + at + " was flipped");
    }
    Files.write(copy, java.util.Arrays.copyOf(made, made.length - 3));
    assertArrayEquals(expected.entries(), files.read().packedPairs().entries());
    assertArrayEquals(made, Files.readAllBytes(copy), "the pairs copy made anew after it was cut short");
  }

  private List<Path> pairsCopies(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".pairs")).sorted().toList();
    }
  }

  @Test
  void aDamagedPackedCopyIsNotUsedAndIsReplaced() throws IOException {
    SparseFiles files = sparseFiles(7);
    byte[] raw = files.raw();
    files.read();
    Path copy = packedCopies(files.folder()).get(0);
    byte[] made = Files.readAllBytes(copy);

    // A byte of an entry, one of the starts, the header's feature size, and the end cut off.
    for (int at : new int[] {made.length - 1000, 16 + 5 * 4 + 400, 16}) {
      byte[] damaged = made.clone();
      damaged[at] ^= 1;
      Files.write(copy, damaged);
      assertArrayEquals(pixels(raw), files.read().features(), "byte " + at + " flipped");
      assertArrayEquals(made, Files.readAllBytes(copy), "the packed copy made anew after byte " + at + " was flipped");
    }
    Files.write(copy, java.util.Arrays.copyOf(made, made.length - 3));
    assertArrayEquals(pixels(raw), files.read().features());
    assertArrayEquals(made, Files.readAllBytes(copy), "the packed copy made anew after it was cut short");
  }

  @Test
  void denseImagesAreKeptRaw() throws IOException {
    byte[] raw = images(8);
    Path folder = dir.resolve("copies");
    Dataset read = Datasets.fromIdx(gzipFile("images.gz", raw), Files.write(dir.resolve("labels"), labelsFor(raw)),
        FeatureScaling.UINT8_TO_UNIT, InflatedCopies.in(folder));
    assertEquals(1, copies(folder).size());
    assertEquals(List.of(), packedCopies(folder));
    assertArrayEquals(pixels(raw), read.features());
  }

  @Test
  void smallFilesAndRawFilesGetNoCopy() throws IOException {
    InflatedCopies copies = InflatedCopies.in(dir.resolve("copies"));
    Path small = Files.write(dir.resolve("small.gz"), IdxTest.gzip(IdxTest.images()));
    Path raw = Files.write(dir.resolve("raw"), images(4));
    assertEquals(2, Idx.readImages(small, copies).count());
    assertEquals(1500, Idx.readImages(raw, copies).count());
    assertEquals(List.of(), copies(dir.resolve("copies")));
  }

  @Test
  void aFolderThatCannotBeWrittenIsNoError() throws IOException {
    byte[] raw = images(5);
    Path file = gzipFile("images.gz", raw);
    Path notAFolder = Files.write(dir.resolve("not-a-folder"), new byte[] {1});
    assertArrayEquals(values(raw), Idx.readImages(file, InflatedCopies.in(notAFolder.resolve("copies"))).bytes());
  }
}
