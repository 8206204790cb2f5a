package dev.nnc.runtime;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files, the format MNIST ships in ({@code *-idx3-ubyte}, {@code *-idx1-ubyte}), raw or
 * gzip-compressed. Compression is told by the gzip magic bytes, not by the file name.
 *
 * <p>The header is checked (magic, number of dimensions) and so is the length: a file that ends
 * early or has bytes after the data is rejected with a message saying where.
 */
public final class Idx {
  private Idx() {}

  /** The only element type MNIST uses (and the only one supported): unsigned bytes. */
  static final int UNSIGNED_BYTE = 0x08;

  /** Reads an image file: 3 dimensions (count, rows, columns). */
  public static IdxArray readImages(Path file) {
    return read(file, 3);
  }

  /** Reads an image file, from its raw copy in {@code copies} when it is compressed and one is kept. */
  public static IdxArray readImages(Path file, InflatedCopies copies) {
    return read(file, 3, copies);
  }

  /** Reads a label file: 1 dimension (count). */
  public static IdxArray readLabels(Path file) {
    return read(file, 1);
  }

  /** Reads a label file, from its raw copy in {@code copies} when it is compressed and one is kept. */
  public static IdxArray readLabels(Path file, InflatedCopies copies) {
    return read(file, 1, copies);
  }

  /** Reads an IDX file of unsigned bytes with {@code dimensions} dimensions. */
  public static IdxArray read(Path file, int dimensions) {
    return read(file, dimensions, InflatedCopies.none());
  }

  /**
   * {@link #read(Path, int)}; a big gzip file from its raw copy in {@code copies} when one is kept
   * for it as it is now, else inflated, then kept there (see {@link InflatedCopies}).
   */
  public static IdxArray read(Path file, int dimensions, InflatedCopies copies) {
    ContentLength length;
    try {
      length = ContentLength.of(file);
    } catch (IOException e) {
      throw NncDataException.io(file, e);
    }
    if (length.gzip() && copies.wanted(length.fileBytes())) {
      return copies.readOrInflate(file, length.trailer(), dimensions, () -> read(file, dimensions, length));
    }
    return read(file, dimensions, length);
  }

  /**
   * The gzip trailer of {@code file} when it is a gzip file big enough for {@code copies} to keep
   * copies of its content (which the trailer names); empty otherwise, or when it cannot be read.
   */
  static Optional<InflatedCopies.Trailer> copiedTrailer(Path file, InflatedCopies copies) {
    try {
      ContentLength length = ContentLength.of(file);
      return length.gzip() && copies.wanted(length.fileBytes()) ? Optional.of(length.trailer()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty(); // reading the file itself then reports it
    }
  }

  /** Reads {@code file}, whose length is {@code length}, inflating it if it is gzip. */
  private static IdxArray read(Path file, int dimensions, ContentLength length) {
    try (InputStream in = openMaybeGzip(file)) {
      return read(in, file, dimensions, length);
    } catch (IOException e) {
      throw NncDataException.io(file, e);
    }
  }

  /**
   * How many bytes a file holds once decompressed, as far as it can tell without reading it: a raw
   * file's size, or for gzip the length its trailer records, which is modulo 2^32.
   */
  private record ContentLength(long bytes, boolean gzip, long fileBytes, long crc) {
    /** Deflate never inflates more than 1032 bytes from one: a gzip file holds at most this many times its length. */
    private static final long MAX_INFLATION = 1032;

    static ContentLength of(Path file) throws IOException {
      try (SeekableByteChannel channel = Files.newByteChannel(file)) {
        long size = channel.size();
        if (size < 18 || (read(channel, 0, 2) & 0xFFFF) != 0x8b1f) return new ContentLength(size, false, size, 0);
        return new ContentLength(read(channel, size - 4, 4) & 0xFFFFFFFFL, true, size, read(channel, size - 8, 4) & 0xFFFFFFFFL);
      }
    }

    /** A gzip file's trailer: its content's CRC-32 and length (both as the file says). */
    InflatedCopies.Trailer trailer() {
      return new InflatedCopies.Trailer(crc, bytes);
    }

    /** {@code count} (at most 4) bytes at {@code position}, little-endian. */
    private static int read(SeekableByteChannel channel, long position, int count) throws IOException {
      ByteBuffer bytes = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).limit(count);
      channel.position(position);
      while (bytes.hasRemaining()) {
        if (channel.read(bytes) < 0) throw new java.io.EOFException(position + count + " bytes expected");
      }
      return bytes.clear().getInt(0);
    }

    /**
     * Whether {@code total} bytes are surely there: a raw file's length says so. A gzip trailer
     * proves nothing (it is written by whoever made the file, and only modulo 2^32).
     */
    boolean holds(long total) {
      return !gzip && bytes >= total;
    }

    /**
     * Whether an array of {@code total} bytes may be allocated before they arrive: a raw file that
     * holds them, or a gzip file whose trailer agrees and that is long enough to inflate to them, so
     * that what a file can make nnc allocate stays within about a thousand times its length (and
     * the heap is asked first). Reading MNIST's 47 MB of images into an array grown by doubling
     * instead would leave the heap 60 MB bigger for the rest of the run.
     */
    boolean mayAllocate(long total) {
      if (!gzip) return holds(total);
      return bytes == (total & 0xFFFFFFFFL) && total <= fileBytes * MAX_INFLATION;
    }

    /** Whether {@code total} bytes cannot be there: a raw file is shorter. */
    boolean cannotHold(long total) {
      return !gzip && bytes < total;
    }
  }

  private static IdxArray read(InputStream in, Path file, int dimensions, ContentLength contentLength) throws IOException {
    int expectedMagic = (UNSIGNED_BYTE << 8) | dimensions;
    byte[] magicBytes = in.readNBytes(4);
    if (magicBytes.length < 4) {
      throw NncDataException.at(file, magicBytes.length == 0 ? "empty file" : "truncated at byte "
          + magicBytes.length + ": an IDX header starts with 4 bytes of magic number");
    }
    int magic = bigEndianInt(magicBytes, 0);
    if (magic != expectedMagic) {
      throw NncDataException.at(file, describeBadMagic(magic, dimensions));
    }
    long headerSize = 4L + 4L * dimensions;
    byte[] dimBytes = in.readNBytes(4 * dimensions);
    if (dimBytes.length < 4 * dimensions) {
      throw NncDataException.at(file, "truncated at byte " + Text.count(4 + dimBytes.length)
          + ": the header has " + Text.count(headerSize) + " bytes");
    }
    int[] shape = new int[dimensions];
    long size = 1;
    for (int i = 0; i < dimensions; i++) {
      shape[i] = bigEndianInt(dimBytes, 4 * i);
      if (shape[i] < 0) {
        throw NncDataException.at(file, "dimension " + (i + 1) + " is negative (" + shape[i] + ")");
      }
      // Saturating: three dimensions of up to 2^31 would overflow a long, and wrap past the check below.
      size = Math.min(size * shape[i], Long.MAX_VALUE / Integer.MAX_VALUE);
    }
    if (size > Integer.MAX_VALUE - 16) {
      throw NncDataException.at(file, "the header declares " + Text.shape(shape) + ", too many values to hold");
    }
    long total = headerSize + size;
    if (contentLength.cannotHold(total)) {
      throw NncDataException.at(file, "truncated at byte " + Text.count(contentLength.bytes())
          + ": the header " + Text.shape(shape) + " needs " + Text.count(total) + " bytes in all");
    }
    byte[] values = readValues(in, (int) size, contentLength, total, file + ": " + Text.shape(shape) + " bytes");
    if (values.length < size) {
      throw NncDataException.at(file, "truncated at byte " + Text.count(headerSize + values.length)
          + ": the header " + Text.shape(shape) + " needs " + Text.count(total) + " bytes in all");
    }
    long extra = in.transferTo(java.io.OutputStream.nullOutputStream());
    if (extra > 0) {
      throw NncDataException.at(file, Text.count(extra) + " unexpected bytes after the data: the header "
          + Text.shape(shape) + " needs exactly " + Text.count(total) + " bytes");
    }
    return new IdxArray(shape, values);
  }

  /** Values whose count is not known to be there are read in pieces, the first of this many bytes. */
  private static final int FIRST_PIECE = 1 << 20;

  /**
   * The {@code size} values after the header: read straight into an array of that size when the
   * file's length says they can be there ({@link ContentLength#mayAllocate}), else into an array
   * that grows as the (inflated) data
   * arrive, so that a header claiming more than the file holds costs no more memory than the
   * file. The heap is asked before each allocation.
   */
  private static byte[] readValues(InputStream in, int size, ContentLength contentLength, long total, String what)
      throws IOException {
    byte[] values = new byte[contentLength.mayAllocate(total) ? size : Math.min(size, FIRST_PIECE)];
    Memory.require(values.length, what);
    int got = 0;
    while (true) {
      got += Streams.readNBytes(in, values, got, values.length - got);
      if (got < values.length || got == size) break;
      int grown = (int) Math.min(size, 2L * values.length);
      Memory.require(grown, what);
      values = java.util.Arrays.copyOf(values, grown);
    }
    return got == values.length ? values : java.util.Arrays.copyOf(values, got);
  }

  private static String describeBadMagic(int magic, int dimensions) {
    String expected = String.format("0x%08X", (UNSIGNED_BYTE << 8) | dimensions);
    String found = String.format("0x%08X", magic);
    if ((magic >>> 16) != 0) {
      return "not an IDX file (magic number " + found + ", expected " + expected + ")";
    }
    int type = (magic >>> 8) & 0xFF;
    int dims = magic & 0xFF;
    if (type != UNSIGNED_BYTE) {
      return String.format("IDX element type 0x%02X is not supported, only unsigned bytes (0x08)", type);
    }
    return "has " + dims + " dimension(s) (magic " + found + "), expected " + dimensions + " (" + expected + ")"
        + (dims == 1 && dimensions == 3 ? ": a label file where images were expected?" : "")
        + (dims == 3 && dimensions == 1 ? ": an image file where labels were expected?" : "");
  }

  /** Opens {@code file}, decompressing it when it starts with the gzip magic bytes 0x1f 0x8b. */
  static InputStream openMaybeGzip(Path file) throws IOException {
    InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    raw.mark(2);
    int b0 = raw.read();
    int b1 = raw.read();
    raw.reset();
    if (b0 == 0x1f && b1 == 0x8b) {
      return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
    }
    return raw;
  }

  private static int bigEndianInt(byte[] b, int at) {
    return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
  }
}
