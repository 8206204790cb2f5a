package dev.nnc.runtime;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0).
 *
 * <p>Reading accepts the types of {@link NpyType} (float64 and the integer types are converted to
 * float), little-endian and in C order; big-endian or Fortran-ordered arrays are rejected with a
 * message saying how to re-save them. The data must be exactly as long as the shape says.
 *
 * <p>Writing produces the bytes {@code np.save} produces for the same array.
 */
public final class Npy {
  private Npy() {}

  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  /** NumPy aligns the start of the data to this many bytes. */
  private static final int ALIGN = 64;
  /** NumPy leaves room in the header for the first dimension to grow to this many digits. */
  private static final int GROWTH_AXIS_MAX_DIGITS = 21;
  private static final int CHUNK = 1 << 16;

  /** Reads the {@code .npy} file at {@code file}. */
  public static NpyArray read(Path file) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), CHUNK)) {
      return read(in, file.toString(), Files.size(file));
    } catch (IOException e) {
      throw NncDataException.io(file, e);
    }
  }

  /**
   * Reads one array from {@code in}, which must end right after it. {@code source} names the file
   * (or zip entry) in messages.
   */
  public static NpyArray read(InputStream in, String source) throws IOException {
    return read(in, source, UNKNOWN_LENGTH);
  }

  /** As {@link #read(InputStream, String)}, for a stream known to hold {@code length} bytes (or {@link #UNKNOWN_LENGTH}). */
  private static NpyArray read(InputStream in, String source, long length) throws IOException {
    Layout layout = readHeader(in, source);
    boolean sizeKnown = requireLength(layout, length, source);
    if (sizeKnown) Memory.require((long) layout.count() * Float.BYTES, describe(source, layout));
    float[] data = readData(in, layout, source, sizeKnown);
    requireEnd(in, layout, source);
    return new NpyArray(layout.type(), layout.shape(), data);
  }

  /** For a stream whose length is not known beforehand (a zip entry's size can lie). */
  private static final long UNKNOWN_LENGTH = -1;

  /** Arrays whose size is not known to be there are read in pieces of at most this many values first. */
  private static final int FIRST_PIECE = 1 << 20;

  /**
   * Refuses a header that declares more (or less) data than {@code length} bytes hold, before any
   * of it is allocated; true if the length was known and matches.
   */
  private static boolean requireLength(Layout layout, long length, String source) {
    if (length == UNKNOWN_LENGTH) return false;
    long needed = layout.dataStart() + (long) layout.count() * layout.type().itemSize();
    if (length < needed) {
      throw NncDataException.at(source, "truncated at byte " + Text.count(length) + ": shape "
          + Text.shape(layout.shape()) + " of " + layout.type().numpyName() + " needs " + Text.count(needed) + " bytes");
    }
    if (length > needed) {
      throw NncDataException.at(source, "unexpected bytes after the data: shape " + Text.shape(layout.shape()) + " of "
          + layout.type().numpyName() + " needs exactly " + Text.count(needed) + " bytes");
    }
    return true;
  }

  private static String describe(String source, Layout layout) {
    return source + ": shape " + Text.shape(layout.shape()) + " of " + layout.type().numpyName();
  }

  /** The shape the header of {@code file} declares, read without its data (to check it against a model first). */
  public static int[] readShape(Path file) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 12)) {
      return readHeader(in, file.toString()).shape();
    } catch (IOException e) {
      throw NncDataException.io(file, e);
    }
  }

  /** The element type the header of {@code file} declares, read without its data. */
  public static NpyType readType(Path file) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 12)) {
      return readHeader(in, file.toString()).type();
    } catch (IOException e) {
      throw NncDataException.io(file, e);
    }
  }

  /**
   * An array read for use as features: a {@code uint8} array keeps its bytes ({@link #bytes()}
   * non-null, a quarter of the memory), any other type is converted to floats as {@link #read} does.
   */
  record Features(NpyType type, int[] shape, float[] floats, byte[] bytes) {}

  /** Reads the {@code .npy} file at {@code file} as {@link Features}. */
  static Features readFeatures(Path file) {
    String source = file.toString();
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), CHUNK)) {
      Layout layout = readHeader(in, source);
      requireLength(layout, Files.size(file), source);
      if (layout.type() != NpyType.UINT8) {
        Memory.require((long) layout.count() * Float.BYTES, describe(source, layout));
        float[] data = readData(in, layout, source, true);
        requireEnd(in, layout, source);
        return new Features(layout.type(), layout.shape(), data, null);
      }
      Memory.require(layout.count(), describe(source, layout));
      byte[] data = new byte[layout.count()];
      int got = Streams.readNBytes(in, data, 0, data.length);
      if (got < data.length) {
        throw NncDataException.at(source, "truncated at byte " + Text.count(layout.dataStart() + got) + ": shape "
            + Text.shape(layout.shape()) + " of uint8 needs " + Text.count(layout.dataStart() + data.length) + " bytes");
      }
      requireEnd(in, layout, source);
      return new Features(layout.type(), layout.shape(), null, data);
    } catch (IOException e) {
      throw NncDataException.io(file, e);
    }
  }

  /** A {@code .npy} header, read: the element type, the shape, its number of values and where the data start. */
  private record Layout(NpyType type, int[] shape, int count, long dataStart) {}

  private static void requireEnd(InputStream in, Layout layout, String source) throws IOException {
    if (in.read() != -1) {
      throw NncDataException.at(source, "unexpected bytes after the data: shape " + Text.shape(layout.shape()) + " of "
          + layout.type().numpyName() + " needs exactly "
          + Text.count(layout.dataStart() + (long) layout.count() * layout.type().itemSize()) + " bytes");
    }
  }

  private static Layout readHeader(InputStream in, String source) throws IOException {
    byte[] magic = in.readNBytes(MAGIC.length + 2);
    if (magic.length == 0) throw NncDataException.at(source, "empty file");
    if (magic.length < MAGIC.length || !java.util.Arrays.equals(magic, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw NncDataException.at(source, "not a .npy file (it does not start with \\x93NUMPY)");
    }
    if (magic.length < MAGIC.length + 2) throw NncDataException.at(source, "truncated in the header");
    int major = magic[6];
    int minor = magic[7];
    if ((major != 1 && major != 2 && major != 3) || minor != 0) {
      throw NncDataException.at(source, ".npy format version " + major + "." + minor
          + " is not supported (1.0, 2.0 and 3.0 are)");
    }
    int lengthBytes = major == 1 ? 2 : 4;
    byte[] len = in.readNBytes(lengthBytes);
    if (len.length < lengthBytes) throw NncDataException.at(source, "truncated in the header");
    long headerLength = ByteBuffer.wrap(major == 1 ? new byte[] {len[0], len[1], 0, 0} : len)
        .order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
    if (headerLength > 1 << 24) throw NncDataException.at(source, "implausible header length " + headerLength);
    byte[] headerBytes = in.readNBytes((int) headerLength);
    long dataStart = MAGIC.length + 2 + lengthBytes + headerLength;
    if (headerBytes.length < headerLength) {
      throw NncDataException.at(source, "truncated at byte " + Text.count(dataStart - headerLength + headerBytes.length)
          + ", in the header of " + Text.count(headerLength) + " bytes");
    }
    // Versions 1 and 2 store the header in latin-1, version 3 in UTF-8.
    String headerText = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    NpyHeader header = NpyHeader.parse(headerText, source);
    NpyType type = NpyType.fromDescr(header.descr(), source);
    int[] shape = header.shape();
    if (header.fortranOrder() && shape.length > 1) {
      throw NncDataException.at(source, "Fortran-ordered (column-major) arrays are not supported;"
          + " save it in C order, e.g. np.save(f, np.ascontiguousarray(a))");
    }
    long count = NpyArray.size(shape);
    if (count > Integer.MAX_VALUE - 16) {
      throw NncDataException.at(source, "shape " + Text.shape(shape) + " holds too many values to load");
    }
    return new Layout(type, shape, (int) count, dataStart);
  }

  /**
   * The array's values as floats. When its size is not known to be there ({@code sizeKnown} false),
   * the array starts small and grows as the data arrive, so that a header claiming more than the
   * stream holds costs no more memory than the stream.
   */
  private static float[] readData(InputStream in, Layout layout, String source, boolean sizeKnown) throws IOException {
    NpyType type = layout.type();
    long dataStart = layout.dataStart();
    int[] shape = layout.shape();
    int count = layout.count();
    int size = type.itemSize();
    float[] data = new float[sizeKnown ? count : Math.min(count, FIRST_PIECE)];
    byte[] chunk = new byte[CHUNK]; // a multiple of every item size
    ByteBuffer buffer = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
    int done = 0;
    while (done < count) {
      if (done == data.length) {
        int grown = (int) Math.min(count, 2L * data.length);
        Memory.require((long) grown * Float.BYTES, describe(source, layout));
        data = java.util.Arrays.copyOf(data, grown);
      }
      int items = Math.min(data.length - done, CHUNK / size);
      int got = in.readNBytes(chunk, 0, items * size);
      if (got < items * size) {
        long at = dataStart + (long) done * size + got;
        throw NncDataException.at(source, "truncated at byte " + Text.count(at) + ": shape " + Text.shape(shape)
            + " of " + type.numpyName() + " needs " + Text.count(dataStart + (long) count * size) + " bytes");
      }
      buffer.clear();
      decode(buffer, type, data, done, items);
      done += items;
    }
    return data;
  }

  /** Writes {@code array} to {@code file} atomically (a temporary file, then a rename). */
  public static void write(Path file, NpyArray array) {
    AtomicFile.write(file, out -> write(out, array));
  }

  /**
   * Writes {@code array} as a {@code .npy} stream, converting the floats to its {@link NpyType}.
   *
   * @throws IllegalArgumentException if a value does not fit an integer or boolean type exactly
   */
  public static void write(OutputStream out, NpyArray array) throws IOException {
    out.write(headerBytes(array));
    NpyType type = array.type();
    float[] data = array.data();
    byte[] chunk = new byte[CHUNK];
    ByteBuffer buffer = ByteBuffer.wrap(chunk).order(ByteOrder.LITTLE_ENDIAN);
    int per = CHUNK / type.itemSize();
    for (int start = 0; start < data.length; start += per) {
      int end = Math.min(data.length, start + per);
      buffer.clear();
      encode(data, start, end, type, buffer);
      out.write(chunk, 0, buffer.position());
    }
  }

  // The element loops are methods of their own, called once a chunk, so that the JIT compiles them after a few
  // chunks as ordinary methods: `nnc` runs without on-stack replacement (see bin/nnc), which would otherwise
  // leave one long loop over a whole array interpreted.

  /** {@code items} values of {@code type} from {@code buffer} into {@code data} from {@code at}. */
  private static void decode(ByteBuffer buffer, NpyType type, float[] data, int at, int items) {
    for (int k = 0; k < items; k++) {
      data[at + k] = switch (type) {
        case FLOAT32 -> buffer.getFloat();
        case FLOAT64 -> (float) buffer.getDouble();
        case INT32 -> buffer.getInt();
        case INT64 -> buffer.getLong();
        case UINT8 -> buffer.get() & 0xFF;
        case INT8 -> buffer.get();
        case BOOL -> buffer.get() != 0 ? 1f : 0f;
      };
    }
  }

  /** {@code data[start..end)} as values of {@code type} into {@code buffer}. */
  private static void encode(float[] data, int start, int end, NpyType type, ByteBuffer buffer) {
    for (int i = start; i < end; i++) {
      float v = data[i];
      switch (type) {
        case FLOAT32 -> buffer.putFloat(v);
        case FLOAT64 -> buffer.putDouble(v);
        case INT32 -> buffer.putInt((int) exactInteger(v, Integer.MIN_VALUE, Integer.MAX_VALUE, type));
        case INT64 -> buffer.putLong(exactInteger(v, Long.MIN_VALUE, Long.MAX_VALUE, type));
        case UINT8 -> buffer.put((byte) exactInteger(v, 0, 255, type));
        case INT8 -> buffer.put((byte) exactInteger(v, -128, 127, type));
        case BOOL -> buffer.put((byte) exactInteger(v, 0, 1, type));
      }
    }
  }

  private static long exactInteger(float v, long min, long max, NpyType type) {
    if (v != Math.rint(v) || v < min || v > max) {
      throw new IllegalArgumentException("value " + v + " does not fit " + type.numpyName());
    }
    return (long) v;
  }

  /** Magic, version, header length and the padded header dictionary, as {@code numpy.lib.format} writes them. */
  static byte[] headerBytes(NpyArray array) {
    int[] shape = array.shape();
    String dict = new NpyHeader(array.type().descr(), false, shape).format();
    if (shape.length > 0) {
      dict += " ".repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String.valueOf(shape[0]).length()));
    }
    byte[] text = dict.getBytes(StandardCharsets.ISO_8859_1);
    int major = 1;
    int prefix = MAGIC.length + 2 + 2;
    int padding = ALIGN - (prefix + text.length + 1) % ALIGN; // 1..64, as NumPy pads
    if (text.length + 1 + padding > 0xFFFF) {
      major = 2;
      prefix = MAGIC.length + 2 + 4;
      padding = ALIGN - (prefix + text.length + 1) % ALIGN;
    }
    int headerLength = text.length + padding + 1;
    ByteBuffer b = ByteBuffer.allocate(prefix + headerLength).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC).put((byte) major).put((byte) 0);
    if (major == 1) b.putShort((short) headerLength);
    else b.putInt(headerLength);
    b.put(text);
    for (int i = 0; i < padding; i++) b.put((byte) ' ');
    b.put((byte) '\n');
    return b.array();
  }
}
