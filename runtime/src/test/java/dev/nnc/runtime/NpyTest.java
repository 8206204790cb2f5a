package dev.nnc.runtime;

import static dev.nnc.runtime.NpyFixtures.littleEndianFloats;
import static dev.nnc.runtime.NpyFixtures.npy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {
  @TempDir Path dir;

  private static NpyArray read(byte[] bytes) throws IOException {
    return Npy.read(new ByteArrayInputStream(bytes), "a.npy");
  }

  private static byte[] write(NpyArray array) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npy.write(out, array);
    return out.toByteArray();
  }

  private static String errorOf(byte[] bytes) {
    return assertThrows(NncDataException.class, () -> read(bytes)).getMessage();
  }

  @Test
  void readsAHandBuiltVersion1Float32File() throws IOException {
    byte[] bytes = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
        littleEndianFloats(1, 2, 3, 4.5f, -5, 6));
    NpyArray a = read(bytes);
    assertEquals(NpyType.FLOAT32, a.type());
    assertArrayEquals(new int[] {2, 3}, a.shape());
    assertArrayEquals(new float[] {1, 2, 3, 4.5f, -5, 6}, a.data());
  }

  @Test
  void readsVersion2And3Headers() throws IOException {
    byte[] data = littleEndianFloats(7, 8);
    assertArrayEquals(new float[] {7, 8}, read(npy(2, "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", data)).data());
    assertArrayEquals(new float[] {7, 8}, read(npy(3, "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2,)}", data)).data());
  }

  @Test
  void writesTheSameHeaderAsNumpy() throws IOException {
    // np.save of np.arange(12, dtype='<f4').reshape(3, 4): a 128-byte header (numpy 2.x).
    byte[] bytes = write(NpyArray.ofFloats(new int[] {3, 4}, new float[12]));
    assertEquals(128 + 48, bytes.length);
    assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, 0x76, 0}, Arrays.copyOf(bytes, 10));
    String header = new String(bytes, 10, 118, StandardCharsets.ISO_8859_1);
    assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }" + " ".repeat(58) + "\n", header);
    // a 1-d shape is spelled '(5,)', and the header is padded so that the data starts at a multiple of 64
    byte[] vector = write(new NpyArray(NpyType.UINT8, new int[] {5}, new float[5]));
    assertEquals("{'descr': '|u1', 'fortran_order': False, 'shape': (5,), }",
        new String(vector, 10, 57, StandardCharsets.ISO_8859_1));
    assertEquals(0, (10 + ((vector[8] & 0xFF) | (vector[9] & 0xFF) << 8)) % 64);
  }

  @Test
  void roundTripsEveryType() throws IOException {
    float[] values = {0, 1, 0, 1, 1, 0};
    for (NpyType type : NpyType.values()) {
      NpyArray back = read(write(new NpyArray(type, new int[] {3, 2}, values)));
      assertEquals(type, back.type(), type.name());
      assertArrayEquals(new int[] {3, 2}, back.shape());
      assertArrayEquals(values, back.data(), type.name());
    }
  }

  @Test
  void roundTripsBytesExactly() throws IOException {
    byte[] first = write(NpyArray.ofFloats(new int[] {2, 2}, new float[] {Float.MIN_VALUE, -0f, Float.NaN, 1e30f}));
    assertArrayEquals(first, write(read(first)));
  }

  @Test
  void convertsIntegerBoolAndFloat64Types() throws IOException {
    ByteBuffer i8 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-3).putLong(9);
    assertArrayEquals(new float[] {-3, 9}, read(npy(1, "{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", i8.array())).data());
    ByteBuffer f8 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1);
    NpyArray d = read(npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", f8.array()));
    assertEquals(NpyType.FLOAT64, d.type());
    assertEquals(0.1f, d.data()[0]);
    assertArrayEquals(new float[] {255, 0}, read(npy(1, "{'descr': '|u1', 'fortran_order': False, 'shape': (2,), }", new byte[] {(byte) 255, 0})).data());
    assertArrayEquals(new float[] {-1, 7}, read(npy(1, "{'descr': '|i1', 'fortran_order': False, 'shape': (2,), }", new byte[] {-1, 7})).data());
    assertArrayEquals(new float[] {1, 0}, read(npy(1, "{'descr': '|b1', 'fortran_order': False, 'shape': (2,), }", new byte[] {1, 0})).data());
  }

  @Test
  void readsScalarsAndEmptyArrays() throws IOException {
    NpyArray scalar = read(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (), }", littleEndianFloats(2.5f)));
    assertEquals(0, scalar.rank());
    assertArrayEquals(new float[] {2.5f}, scalar.data());
    NpyArray empty = read(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (0, 3), }", new byte[0]));
    assertArrayEquals(new int[] {0, 3}, empty.shape());
    assertEquals(0, empty.data().length);
  }

  @Test
  void acceptsFortranOrderForOneDimension() throws IOException {
    assertArrayEquals(new float[] {1, 2}, read(npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }", littleEndianFloats(1, 2))).data());
  }

  @Test
  void rejectsBigEndianFortranOrderAndOtherTypes() {
    assertEquals("a.npy: big-endian data ('>f4') is not supported; save it little-endian, e.g. np.save(f, a.astype('<f4'))",
        errorOf(npy(1, "{'descr': '>f4', 'fortran_order': False, 'shape': (1,), }", new byte[4])));
    assertEquals("a.npy: Fortran-ordered (column-major) arrays are not supported; save it in C order, e.g. np.save(f, np.ascontiguousarray(a))",
        errorOf(npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new byte[16])));
    assertEquals("a.npy: dtype '<f2' is not supported; supported: float32, float64, int8, uint8, int32, int64, bool",
        errorOf(npy(1, "{'descr': '<f2', 'fortran_order': False, 'shape': (1,), }", new byte[2])));
  }

  @Test
  void reportsTruncationAndTrailingBytesWithOffsets() {
    byte[] full = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", littleEndianFloats(1, 2, 3, 4, 5, 6));
    assertEquals(128 + 24, full.length);
    assertEquals("a.npy: truncated at byte 149: shape [2, 3] of float32 needs 152 bytes",
        errorOf(Arrays.copyOf(full, 149)));
    assertEquals("a.npy: unexpected bytes after the data: shape [2, 3] of float32 needs exactly 152 bytes",
        errorOf(Arrays.copyOf(full, 155)));
    assertEquals("a.npy: truncated at byte 40, in the header of 118 bytes", errorOf(Arrays.copyOf(full, 40)));
  }

  @Test
  void reportsBadMagicVersionAndHeader() {
    assertEquals("a.npy: not a .npy file (it does not start with \\x93NUMPY)", errorOf("PK\3\4 not numpy".getBytes(StandardCharsets.ISO_8859_1)));
    assertEquals("a.npy: empty file", errorOf(new byte[0]));
    byte[] v4 = npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]);
    v4[6] = 4;
    assertEquals("a.npy: .npy format version 4.0 is not supported (1.0, 2.0 and 3.0 are)", errorOf(v4));
    String message = errorOf(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': [1], }", new byte[4]));
    assertEquals("a.npy: malformed .npy header (unexpected '[' at column 51): {'descr': '<f4', 'fortran_order': False, 'shape': [1], }", message);
  }

  @Test
  void writesFilesThatReadBack(@TempDir Path tmp) {
    Path file = tmp.resolve("x.npy");
    Npy.write(file, new NpyArray(NpyType.INT32, new int[] {2, 1, 2}, new float[] {1, -2, 3, 4}));
    NpyArray back = Npy.read(file);
    assertArrayEquals(new int[] {2, 1, 2}, back.shape());
    assertArrayEquals(new float[] {1, -2, 3, 4}, back.data());
  }

  @Test
  void refusesToWriteValuesAnIntegerTypeCannotHold() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> write(new NpyArray(NpyType.UINT8, new int[] {1}, new float[] {256})));
    assertEquals("value 256.0 does not fit uint8", e.getMessage());
  }

  @Test
  void namesAMissingFile() {
    Path missing = dir.resolve("none.npy");
    assertEquals(missing + ": no such file", assertThrows(NncDataException.class, () -> Npy.read(missing)).getMessage());
  }

  @Test
  void largeHeadersUseVersion2() throws IOException {
    // A header over 64 KiB is only possible with many dimensions; numpy then writes version 2.0.
    int[] shape = new int[30000];
    Arrays.fill(shape, 1);
    byte[] bytes = write(NpyArray.ofFloats(shape, new float[] {3}));
    assertEquals(2, bytes[6]);
    assertEquals(0, (bytes.length - 4) % 64);
    assertArrayEquals(new float[] {3}, read(bytes).data());
    Files.write(dir.resolve("big.npy"), bytes);
    assertEquals(30000, Npy.read(dir.resolve("big.npy")).rank());
  }
}
