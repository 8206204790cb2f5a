package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
  @TempDir Path dir;

  /** Two 2×3 images, pixels 0, 51, ..., 255 and back. */
  static byte[] images() {
    ByteBuffer b = ByteBuffer.allocate(16 + 12).putInt(0x803).putInt(2).putInt(2).putInt(3);
    for (int p : new int[] {0, 51, 102, 153, 204, 255, 255, 204, 153, 102, 51, 0}) b.put((byte) p);
    return b.array();
  }

  static byte[] labels(int... values) {
    ByteBuffer b = ByteBuffer.allocate(8 + values.length).putInt(0x801).putInt(values.length);
    for (int v : values) b.put((byte) v);
    return b.array();
  }

  static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    }
    return out.toByteArray();
  }

  private Path file(String name, byte[] content) throws IOException {
    return Files.write(dir.resolve(name), content);
  }

  private String errorReading(Path file, int dims) {
    return assertThrows(NncDataException.class, () -> Idx.read(file, dims)).getMessage();
  }

  @Test
  void readsRawImagesScaledToUnitFloats() throws IOException {
    IdxArray a = Idx.readImages(file("img-idx3-ubyte", images()));
    assertArrayEquals(new int[] {2, 2, 3}, a.shape());
    assertEquals(2, a.count());
    assertEquals(6, a.sampleSize());
    float[] x = a.toUnitFloats();
    assertEquals(0f, x[0]);
    assertEquals(0.2f, x[1], 1e-7);
    assertEquals(1f, x[5]);
    assertEquals(1f, x[6]);
  }

  @Test
  void detectsGzipByItsMagicBytesNotItsName() throws IOException {
    // a compressed file without .gz, and an uncompressed one with it
    IdxArray gz = Idx.readImages(file("img-idx3-ubyte", gzip(images())));
    IdxArray raw = Idx.readImages(file("img-idx3-ubyte.gz", images()));
    assertArrayEquals(raw.toUnitFloats(), gz.toUnitFloats());
    assertArrayEquals(new int[] {7, 0, 255}, Idx.readLabels(file("l.gz", gzip(labels(7, 0, 255)))).toInts());
  }

  @Test
  void reportsTruncationWithTheByteAndTheExpectedLength() throws IOException {
    Path raw = file("t-idx3-ubyte", Arrays.copyOf(images(), 20));
    assertEquals(raw + ": truncated at byte 20: the header [2, 2, 3] needs 28 bytes in all", errorReading(raw, 3));
    Path gz = file("t-idx3-ubyte.gz", gzip(Arrays.copyOf(images(), 27)));
    assertEquals(gz + ": truncated at byte 27: the header [2, 2, 3] needs 28 bytes in all", errorReading(gz, 3));
    Path header = file("h-idx3-ubyte", Arrays.copyOf(images(), 10));
    assertEquals(header + ": truncated at byte 10: the header has 16 bytes", errorReading(header, 3));
  }

  @Test
  void aHeaderClaimingMoreThanTheFileHoldsIsTruncation() throws IOException {
    byte[] big = ByteBuffer.allocate(16 + 4).putInt(0x803).putInt(100_000).putInt(28).putInt(28).array();
    Path raw = file("big-idx3-ubyte", big);
    assertEquals(raw + ": truncated at byte 20: the header [100000, 28, 28] needs 78,400,016 bytes in all",
        errorReading(raw, 3));
    Path gz = file("big-idx3-ubyte.gz", gzip(big));
    assertEquals(gz + ": truncated at byte 20: the header [100000, 28, 28] needs 78,400,016 bytes in all",
        errorReading(gz, 3));
  }

  @Test
  void reportsTrailingBytes() throws IOException {
    Path f = file("l-idx1-ubyte", Arrays.copyOf(labels(1, 2), 13));
    assertEquals(f + ": 3 unexpected bytes after the data: the header [2] needs exactly 10 bytes", errorReading(f, 1));
  }

  @Test
  void reportsWrongMagicAndSwappedFiles() throws IOException {
    Path labels = file("labels", labels(1));
    assertEquals(labels + ": has 1 dimension(s) (magic 0x00000801), expected 3 (0x00000803): a label file where images were expected?",
        errorReading(labels, 3));
    Path text = file("text", "hello world, not IDX".getBytes());
    assertEquals(text + ": not an IDX file (magic number 0x68656C6C, expected 0x00000801)", errorReading(text, 1));
    Path floats = file("floats", ByteBuffer.allocate(8).putInt(0x0D01).putInt(0).array());
    assertEquals(floats + ": IDX element type 0x0D is not supported, only unsigned bytes (0x08)", errorReading(floats, 1));
    Path empty = file("empty", new byte[0]);
    assertEquals(empty + ": empty file", errorReading(empty, 1));
  }

  @Test
  void reportsMissingAndCorruptFiles() throws IOException {
    Path missing = dir.resolve("missing");
    assertEquals(missing + ": no such file", errorReading(missing, 1));
    byte[] gz = gzip(labels(1, 2, 3));
    gz[12] ^= 0x55; // damage the deflate stream
    Path corrupt = file("corrupt.gz", gz);
    assertTrue(errorReading(corrupt, 1).startsWith(corrupt + ": "), "names the file");
  }

  @Test
  void pairsImagesWithLabelsIntoADataset() throws IOException {
    Dataset d = Datasets.fromIdx(file("i", gzip(images())), file("l", labels(3, 9)));
    assertEquals(2, d.size());
    assertEquals(6, d.featureSize());
    assertEquals(1, d.targetSize());
    assertEquals(9f, d.target(1, 0));
    assertEquals(1f, d.feature(1, 0));
    assertEquals("i + l", d.description());
    assertTrue(d.hasByteFeatures(), "pixels stay bytes");
    assertArrayEquals(Idx.readImages(dir.resolve("i")).toUnitFloats(), d.features());
    Path three = file("l3", labels(1, 2, 3));
    assertEquals(three + ": 3 labels, but " + dir.resolve("i") + " has 2 images",
        assertThrows(NncDataException.class, () -> Datasets.fromIdx(dir.resolve("i"), three)).getMessage());
  }
}
