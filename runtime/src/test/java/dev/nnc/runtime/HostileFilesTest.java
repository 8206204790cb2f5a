package dev.nnc.runtime;

import static dev.nnc.runtime.NpyFixtures.concat;
import static dev.nnc.runtime.NpyFixtures.gzip;
import static dev.nnc.runtime.NpyFixtures.littleEndianFloats;
import static dev.nnc.runtime.NpyFixtures.npy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small files that declare huge sizes, nest deeply or hold things a reader must refuse. Each ends
 * in an {@link NncDataException} naming the file, after allocating little: the bytes this thread
 * allocates are measured, so a reader that trusted the header fails here even on a big heap.
 */
class HostileFilesTest {
  /** What reading a file of a few hundred bytes may allocate at most. */
  private static final long ALLOCATION_BOUND = 64L << 20;

  @TempDir Path dir;

  @Test
  void aTinyNpyDeclaringTwoBillionRowsIsTruncatedNotAllocated() throws IOException {
    Path file = write("huge.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2000000000, 1), }",
        littleEndianFloats(1, 2, 3, 4)));
    assertEquals(144, Files.size(file));
    NncDataException e = refusedCheaply(() -> Npy.read(file));
    assertEquals(file + ": truncated at byte 144: shape [2000000000, 1] of float32 needs 8,000,000,128 bytes", e.getMessage());
    refusedCheaply(() -> Datasets.fromNpy(file, file));
  }

  @Test
  void anNpzEntryDeclaringTwoBillionFloatsIsTruncatedNotAllocated() throws IOException {
    byte[] entry = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2000000000,), }", littleEndianFloats(1, 2));
    for (boolean deflated : new boolean[] {false, true}) {
      Path file = write("huge.npz", zip(deflated, "dense_1/kernel.npy", entry));
      NncDataException e = refusedCheaply(() -> Npz.read(file));
      assertTrue(e.getMessage().startsWith(file + ": array 'dense_1/kernel': truncated at byte "), e.getMessage());
    }
  }

  @Test
  void gzippedIdxWhoseHeaderAndTrailerClaimBillionsIsTruncatedNotAllocated() throws IOException {
    ByteBuffer header = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putInt(0x0803).putInt(2_000_000_000).putInt(1).putInt(1);
    byte[] gz = gzip(concat(header.array(), new byte[100]));
    // The trailer's length (mod 2^32) is set to what the header claims, so that it "agrees".
    ByteBuffer.wrap(gz, gz.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) (16L + 2_000_000_000L));
    Path file = write("train-images-idx3-ubyte.gz", gz);
    NncDataException e = refusedCheaply(() -> Idx.readImages(file));
    assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
  }

  @Test
  void aRawIdxDeclaringMoreThanItsLengthIsRefusedBeforeReading() throws IOException {
    ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN).putInt(0x0801).putInt(2_000_000_000);
    Path file = write("labels-idx1-ubyte", concat(header.array(), new byte[10]));
    NncDataException e = refusedCheaply(() -> Idx.readLabels(file));
    assertEquals(file + ": truncated at byte 18: the header [2000000000] needs 2,000,000,008 bytes in all", e.getMessage());
  }

  /** Found by ReaderFuzzTest: three large dimensions overflowed a long, wrapped past the size check, and made a negative array size. */
  @Test
  void idxDimensionsWhoseProductOverflowsALongAreTooMany() throws IOException {
    byte[] header = {0, 0, 8, 3, 0, 0, 105, -88, 56, -73, 12, 83, 0, 5, 119, -26};
    Path file = write("overflow-idx3-ubyte.gz", gzip(header));
    NncDataException e = refusedCheaply(() -> Idx.readImages(file));
    assertEquals(file + ": the header declares [27048, 951520339, 358374], too many values to hold", e.getMessage());
  }

  @Test
  void deeplyNestedNpyHeaderIsMalformedNotAStackOverflow() throws IOException {
    String nested = "{'descr': '<f4', 'fortran_order': False, 'shape': " + "(".repeat(200_000) + ")".repeat(200_000) + ", }";
    Path file = write("nested.npy", npy(2, nested, new byte[0]));
    NncDataException e = assertThrows(NncDataException.class, () -> Npy.read(file));
    assertTrue(e.getMessage().startsWith(file + ": malformed .npy header (unexpected '(' at column 52)"), e.getMessage());
    assertTrue(e.getMessage().length() < 400, "the header is cut in the message: " + e.getMessage().length());
  }

  @Test
  void anNpzNamingAnArrayTwiceIsRefused() throws IOException {
    byte[] one = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", littleEndianFloats(1));
    byte[] two = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", littleEndianFloats(2));
    byte[] archive = zip(false, "a.npy", one, "b.npy", two);
    // A zip writer refuses the same name twice, so the second name is changed in place.
    String text = new String(archive, StandardCharsets.ISO_8859_1).replace("b.npy", "a.npy");
    Path file = write("twice.npz", text.getBytes(StandardCharsets.ISO_8859_1));
    NncDataException e = assertThrows(NncDataException.class, () -> Npz.read(file));
    assertEquals(file + ": holds the array 'a' twice; an .npz must name each array once", e.getMessage());
  }

  @Test
  void nonFiniteFeaturesAreAnInputErrorNamingTheSample() throws IOException {
    Path x = write("x.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }",
        littleEndianFloats(0, 1, 2, 3, Float.NaN, 5)));
    Path y = write("y.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", littleEndianFloats(0, 1, 0)));
    Path yInf = write("yinf.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }",
        littleEndianFloats(0, Float.POSITIVE_INFINITY, 0)));
    NncDataException e = assertThrows(NncDataException.class, () -> Datasets.fromNpy(x, y));
    assertEquals(x + ": feature 0 of sample 2 is NaN; the data must be finite numbers", e.getMessage());
    Path finite = write("xf.npy", npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }",
        littleEndianFloats(0, 1, 2, 3, 4, 5)));
    e = assertThrows(NncDataException.class, () -> Datasets.fromNpy(finite, yInf));
    assertEquals(yInf + ": target 0 of sample 1 is Infinity; the data must be finite numbers", e.getMessage());
  }

  @Test
  void nonFiniteWeightsAreRefusedAndTheModelKeepsItsOwn() throws IOException {
    SoftmaxRegression model = new SoftmaxRegression(2, 2, 8, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0.1f);
    Map<String, NpyArray> arrays = new java.util.LinkedHashMap<>();
    for (Model.Tensor t : model.parameters()) {
      float[] values = new float[t.size()];
      values[values.length - 1] = Float.NaN;
      arrays.put(t.name(), NpyArray.ofFloats(t.shape(), values));
    }
    Path file = dir.resolve("nan.npz");
    Npz.write(file, arrays);
    float[] before = new float[model.parameters().get(0).size()];
    model.readParameter(model.parameters().get(0).name(), before);
    NncDataException e = assertThrows(NncDataException.class, () -> Weights.load(model, file));
    assertTrue(e.getMessage().contains("holds NaN at index 3; weights must be finite"), e.getMessage());
    float[] after = new float[before.length];
    model.readParameter(model.parameters().get(0).name(), after);
    assertTrue(java.util.Arrays.equals(before, after));
  }

  @Test
  void theHeapIsAskedBeforeAnAllocationTooLargeForIt() {
    long tooMuch = Runtime.getRuntime().maxMemory() + (1L << 30);
    NncDataException e = assertThrows(NncDataException.class, () -> Memory.require(tooMuch, "x.npy: shape [9] of float32"));
    assertTrue(e.getMessage().startsWith("x.npy: shape [9] of float32 needs " + String.format(java.util.Locale.ROOT, "%,d", tooMuch)
        + " bytes"), e.getMessage());
    assertTrue(e.getMessage().contains("JAVA_OPTS=-Xmx"), e.getMessage());
  }

  /** Runs {@code read}, which must throw an {@link NncDataException}, and checks what it allocated on the way. */
  private static NncDataException refusedCheaply(Supplier<?> read) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    NncDataException e = assertThrows(NncDataException.class, read::get);
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < ALLOCATION_BOUND, "allocated " + allocated + " bytes for: " + e.getMessage());
    return e;
  }

  private Path write(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  /** A zip of (name, content) pairs, each entry stored or deflated. */
  private static byte[] zip(boolean deflated, Object... namesAndContents) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (int i = 0; i < namesAndContents.length; i += 2) {
        byte[] content = (byte[]) namesAndContents[i + 1];
        ZipEntry entry = new ZipEntry((String) namesAndContents[i]);
        if (!deflated) {
          CRC32 crc = new CRC32();
          crc.update(content);
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(content.length);
          entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }
}
