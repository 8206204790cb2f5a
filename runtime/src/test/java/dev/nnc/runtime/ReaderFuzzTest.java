package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;

/**
 * Fuzzing the file readers and the weight loader: random bytes, valid files with random byte
 * edits and cuts, and headers declaring random (often huge) sizes. Every file ends in a value or an
 * {@link NncDataException} that names it, never another exception, and reading a file of at most a
 * few kilobytes allocates little, whatever it declares.
 */
class ReaderFuzzTest {
  private static final long ALLOCATION_BOUND = 64L << 20;

  private Path dir;

  @BeforeProperty
  void createFolder() throws IOException {
    dir = Files.createTempDirectory("nnc-fuzz");
  }

  @AfterProperty
  void deleteFolder() throws IOException {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Property(tries = 1000)
  void npyReadsOrFailsCleanly(@ForAll("npyFiles") byte[] bytes) {
    Path file = write("f.npy", bytes);
    readsOrFailsCleanly(file, () -> Npy.read(file));
    readsOrFailsCleanly(file, () -> Npy.readFeatures(file));
  }

  @Property(tries = 800)
  void npzReadsOrFailsCleanly(@ForAll("npzFiles") byte[] bytes) {
    Path file = write("w.npz", bytes);
    readsOrFailsCleanly(file, () -> Npz.read(file));
  }

  @Property(tries = 1000)
  void idxReadsOrFailsCleanly(@ForAll("idxFiles") byte[] bytes, @ForAll boolean gzip) {
    Path file = write("images-idx3-ubyte", gzip ? NpyFixtures.gzip(bytes) : bytes);
    readsOrFailsCleanly(file, () -> Idx.readImages(file));
  }

  @Property(tries = 800)
  void weightsLoadOrFailCleanlyAndAFailedLoadChangesNothing(@ForAll("npzFiles") byte[] bytes) {
    Path file = write("w.npz", bytes);
    SoftmaxRegression model = new SoftmaxRegression(3, 2, 4, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0.1f);
    float[] before = new float[6];
    model.readParameter("dense_1/kernel", before);
    boolean loaded = readsOrFailsCleanly(file, () -> {
      Weights.load(model, file);
      return null;
    });
    float[] after = new float[6];
    model.readParameter("dense_1/kernel", after);
    assertTrue(loaded || java.util.Arrays.equals(before, after), "a refused file changed the model");
  }

  /** Random bytes; a valid array with byte edits, cuts or appended bytes; a header declaring any shape. */
  @Provide
  Arbitrary<byte[]> npyFiles() {
    byte[] valid = npy("<f4", "(2, 3)", new byte[24]);
    return Arbitraries.oneOf(randomBytes(), edits(valid), Combinators.combine(
            Arbitraries.of("<f4", "<f8", "|u1", "<i8", "|b1", ">f4", "<c8", "[('a', '<f4')]", "'"),
            shapes(), Arbitraries.integers().between(0, 200))
        .as((descr, shape, data) -> npy(descr, shape, new byte[data])));
  }

  /** A valid archive of the model's two arrays, with byte edits, or random bytes. */
  @Provide
  Arbitrary<byte[]> npzFiles() {
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    arrays.put("dense_1/kernel", NpyArray.ofFloats(new int[] {3, 2}, new float[] {1, 2, 3, 4, 5, 6}));
    arrays.put("dense_1/bias", NpyArray.ofFloats(new int[] {2}, new float[] {7, 8}));
    try {
      Path file = Files.createTempFile("nnc-fuzz", ".npz");
      Npz.write(file, arrays);
      byte[] valid = Files.readAllBytes(file);
      Files.delete(file);
      return Arbitraries.oneOf(randomBytes(), edits(valid), edits(valid), edits(valid));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An IDX image header declaring random dimensions, followed by a few bytes; or edits of a valid file; or random bytes. */
  @Provide
  Arbitrary<byte[]> idxFiles() {
    Arbitrary<byte[]> declared = Combinators.combine(Arbitraries.integers(), Arbitraries.integers(), Arbitraries.integers(),
            Arbitraries.integers().between(0, 300))
        .as((n, rows, cols, data) -> {
          ByteBuffer b = ByteBuffer.allocate(16 + data).order(ByteOrder.BIG_ENDIAN);
          return b.putInt(0x0803).putInt(n).putInt(rows).putInt(cols).array();
        });
    byte[] valid = ByteBuffer.allocate(16 + 2 * 3 * 4).putInt(0x0803).putInt(2).putInt(3).putInt(4).array();
    return Arbitraries.oneOf(declared, declared, edits(valid), randomBytes());
  }

  private static Arbitrary<String> shapes() {
    Arbitrary<String> dimension = Arbitraries.oneOf(Arbitraries.integers().between(0, 10).map(String::valueOf),
        Arbitraries.of("2000000000", "2147483647", "4294967296", "99999999999999999999", "-1", "1L", "x"));
    return dimension.list().ofMaxSize(4).map(dims -> "(" + String.join(", ", dims) + (dims.size() == 1 ? ",)" : ")"));
  }

  private static Arbitrary<byte[]> randomBytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
  }

  /** {@code valid} with up to 6 bytes replaced, then perhaps cut short or lengthened. */
  private static Arbitrary<byte[]> edits(byte[] valid) {
    Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, valid.length - 1), Arbitraries.integers().between(0, 255))
        .as((at, value) -> new int[] {at, value});
    return Combinators.combine(edit.list().ofMaxSize(6), Arbitraries.integers().between(-40, 8)).as((edits, resize) -> {
      byte[] out = valid.clone();
      for (int[] e : edits) out[e[0]] = (byte) e[1];
      int length = resize < -20 ? Math.max(0, valid.length + resize) : resize > 4 ? valid.length + resize : valid.length;
      return java.util.Arrays.copyOf(out, length);
    });
  }

  private static byte[] npy(String descr, String shape, byte[] data) {
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    return NpyFixtures.npy(1, dict, data);
  }

  /**
   * Runs {@code read}: true for a value, false for an NncDataException naming {@code file} (any
   * other exception fails the property); little allocated either way.
   */
  private static boolean readsOrFailsCleanly(Path file, java.util.function.Supplier<?> read) {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadAllocatedBytes();
    try {
      read.get();
      Statistics.collect("read");
      return true;
    } catch (NncDataException e) {
      assertTrue(e.getMessage().contains(file.toString()), "the message names the file: " + e.getMessage());
      assertTrue(e.getMessage().length() < 2_000, "a bounded message: " + e.getMessage().length());
      Statistics.collect("refused");
      return false;
    } finally {
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;
      assertTrue(allocated < ALLOCATION_BOUND, "allocated " + allocated + " bytes for a file of " + size(file) + " bytes");
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return -1;
    }
  }

  private Path write(String name, byte[] bytes) {
    try {
      return Files.write(dir.resolve(name), bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
