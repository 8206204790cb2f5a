package dev.nnc.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.zip.CRC32;

/**
 * Raw copies of big gzip-compressed IDX files, so that a later run reads them instead of inflating
 * them again: MNIST's 9.9 MB of training images take about 0.12 s of a core to inflate, which the
 * start of a training run shares with the JIT's warm-up, and 47 MB read from the page cache about
 * a tenth of that.
 *
 * <p>A copy is named after the compressed file's real path, size and modification time and its
 * gzip trailer (the content's CRC-32 and length), and it is used only when its own CRC-32 matches
 * the trailer's: a changed, replaced or damaged file is inflated again, and its copy replaced. A
 * copy is written whole or not at all (a temporary file, then a rename) and needs no flush to
 * disk: a copy that a crash left short or wrong fails the CRC. The folder keeps the {@value #KEPT}
 * copies used last. Anything amiss with the folder only means no copy: reading never fails because
 * of it.
 *
 * <p>Images sparse enough to be held as their non-zero bytes ({@link PackedBytes}) are kept packed
 * instead ({@link #keepPacked}): MNIST's training images then take 27 MB rather than 47, and a run
 * reads them without packing them again, which took about 45 ms of a core that the start of
 * training shares with the JIT. A packed copy is checked by a CRC-32 of its own, written after it
 * was packed from content that matched the trailer, and by its length against the trailer's.
 */
public final class InflatedCopies {
  /** Copies kept: the ones used last. */
  static final int KEPT = 8;
  /** Compressed files smaller than this are inflated every time: it costs less than the copy. */
  static final long MIN_COMPRESSED_BYTES = 1 << 20;
  private static final String SUFFIX = ".idx";
  private static final String PACKED_SUFFIX = ".packed";
  /** A packed copy's first bytes: its format, then (little-endian ints) see {@link #keepPacked}. */
  private static final byte[] PACKED_MAGIC = "nnc-packed-idx-1".getBytes(StandardCharsets.US_ASCII);
  private static final int PACKED_HEADER = PACKED_MAGIC.length + 5 * Integer.BYTES;
  private static final String PAIRS_SUFFIX = ".pairs";
  /** A pairs copy's first bytes: its format, then (little-endian ints) see {@link #keepPairs}. */
  private static final byte[] PAIRS_MAGIC = "nnc-paired-idx-1".getBytes(StandardCharsets.US_ASCII);
  private static final int PAIRS_HEADER = PAIRS_MAGIC.length + 4 * Integer.BYTES;
  /** Bytes read or written at a time of a pairs copy's ints. */
  private static final int CHUNK = 1 << 20;
  private static final InflatedCopies NONE = new InflatedCopies(null);

  private final Path dir;

  private InflatedCopies(Path dir) {
    this.dir = dir;
  }

  /** Copies kept in {@code dir} (made when the first copy is written). */
  public static InflatedCopies in(Path dir) {
    return new InflatedCopies(dir.toAbsolutePath());
  }

  /** No copies: every gzip file is inflated. */
  public static InflatedCopies none() {
    return NONE;
  }

  /** The gzip trailer of a compressed file: its content's CRC-32 and length modulo 2^32. */
  record Trailer(long crc, long length) {}

  /** Whether a gzip file of {@code compressedBytes} is worth a copy here. */
  boolean wanted(long compressedBytes) {
    return dir != null && compressedBytes >= MIN_COMPRESSED_BYTES;
  }

  /**
   * {@code file}'s content, read as IDX with {@code dimensions} dimensions: from its kept copy when
   * there is one and its CRC-32 matches the trailer's (a bad copy is deleted), else read by
   * {@code inflate} and then kept as the copy.
   */
  IdxArray readOrInflate(Path file, Trailer trailer, int dimensions, Supplier<IdxArray> inflate) {
    Optional<Path> copy = copyOf(file, trailer);
    Optional<IdxArray> kept = copy.flatMap(c -> read(c, trailer, dimensions));
    if (kept.isPresent()) return kept.get();
    IdxArray read = inflate.get();
    copy.ifPresent(c -> keep(c, trailer, read));
    return read;
  }

  /**
   * The packed copy of {@code file}'s images ({@code file} as it is now, with this trailer), when
   * one is kept and checks out; a bad one is deleted.
   */
  Optional<PackedBytes> readPacked(Path file, Trailer trailer) {
    Optional<Path> copy = copyOf(file, trailer, PACKED_SUFFIX);
    if (copy.isEmpty() || !Files.isRegularFile(copy.get())) return Optional.empty();
    try (FileChannel channel = FileChannel.open(copy.get(), StandardOpenOption.READ)) {
      ByteBuffer header = readFully(channel, ByteBuffer.allocate(PACKED_HEADER).order(ByteOrder.LITTLE_ENDIAN));
      byte[] magic = new byte[PACKED_MAGIC.length];
      header.flip().get(magic);
      int featureSize = header.getInt(), samples = header.getInt(), length = header.getInt(), idxHeader = header.getInt();
      int bodyCrc = header.getInt();
      // The file's length is checked before anything is allocated for it.
      if (!Arrays.equals(magic, PACKED_MAGIC) || featureSize < 1 || samples < 0 || length < 0 || idxHeader < 0
          || ((idxHeader + (long) samples * featureSize) & 0xFFFFFFFFL) != trailer.length()
          || channel.size() != PACKED_HEADER + Integer.BYTES * (samples + 1L) + length) {
        throw new IOException("not the packed copy of this file");
      }
      ByteBuffer startBytes = readFully(channel, ByteBuffer.allocate(Integer.BYTES * (samples + 1)).order(ByteOrder.LITTLE_ENDIAN));
      byte[] packed = new byte[length];
      readFully(channel, ByteBuffer.wrap(packed));
      CRC32 crc = new CRC32();
      crc.update(startBytes.array());
      crc.update(packed);
      if ((int) crc.getValue() != bodyCrc) throw new IOException("damaged");
      int[] starts = new int[samples + 1];
      startBytes.flip().asIntBuffer().get(starts);
      PackedBytes read = PackedBytes.wrap(packed, starts, featureSize);
      Files.setLastModifiedTime(copy.get(), FileTime.fromMillis(System.currentTimeMillis()));
      return Optional.of(read);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(copy.get());
      return Optional.empty();
    }
  }

  /**
   * Keeps {@code packed}, the images of {@code file} (with this trailer) that {@code read} held
   * before they were packed, as its packed copy, in place of its raw copy: the magic bytes, then
   * as little-endian ints the feature size, the samples, the packed bytes' length, the IDX header's
   * length and the CRC-32 of the rest, which is the samples' starts (ints) and the packed bytes.
   */
  void keepPacked(Path file, Trailer trailer, IdxArray read, PackedBytes packed) {
    Optional<Path> copy = copyOf(file, trailer, PACKED_SUFFIX);
    if (copy.isEmpty()) return;
    int idxHeader = header(read).length;
    int[] starts = packed.starts();
    int length = starts[packed.size()];
    ByteBuffer startBytes = ByteBuffer.allocate(Integer.BYTES * starts.length).order(ByteOrder.LITTLE_ENDIAN);
    startBytes.asIntBuffer().put(starts);
    CRC32 crc = new CRC32();
    crc.update(startBytes.array());
    crc.update(packed.packed(), 0, length);
    ByteBuffer header = ByteBuffer.allocate(PACKED_HEADER).order(ByteOrder.LITTLE_ENDIAN).put(PACKED_MAGIC)
        .putInt(packed.featureSize()).putInt(packed.size()).putInt(length).putInt(idxHeader).putInt((int) crc.getValue());
    if (writeAtomically(copy.get(), out -> {
      out.write(header.array());
      out.write(startBytes.array());
      out.write(packed.packed(), 0, length);
    })) {
      copyOf(file, trailer, SUFFIX).ifPresent(InflatedCopies::deleteQuietly);
    }
  }

  /**
   * The pairs copy of {@code file}'s images ({@code file} as it is now, with this trailer), whose packed
   * form is {@code packed}, when one is kept and checks out; a bad one is deleted.
   */
  Optional<PackedPairs> readPairs(Path file, Trailer trailer, PackedBytes packed) {
    Optional<Path> copy = copyOf(file, trailer, PAIRS_SUFFIX);
    if (copy.isEmpty() || !Files.isRegularFile(copy.get())) return Optional.empty();
    try (FileChannel channel = FileChannel.open(copy.get(), StandardOpenOption.READ)) {
      ByteBuffer header = readFully(channel, ByteBuffer.allocate(PAIRS_HEADER).order(ByteOrder.LITTLE_ENDIAN));
      byte[] magic = new byte[PAIRS_MAGIC.length];
      header.flip().get(magic);
      int featureSize = header.getInt(), samples = header.getInt(), entries = header.getInt(), bodyCrc = header.getInt();
      // The file's length is checked before anything is allocated for it.
      if (!Arrays.equals(magic, PAIRS_MAGIC) || featureSize != packed.featureSize() || samples != packed.size() || entries < 0
          || entries > packed.nonZeros() || channel.size() != PAIRS_HEADER + Integer.BYTES * (samples + 1L + entries)) {
        throw new IOException("not the pairs copy of this file");
      }
      CRC32 crc = new CRC32();
      int[] starts = readInts(channel, samples + 1, crc);
      int[] pairs = readInts(channel, entries, crc);
      if ((int) crc.getValue() != bodyCrc) throw new IOException("damaged");
      PackedPairs read = PackedPairs.wrap(pairs, starts, featureSize);
      Files.setLastModifiedTime(copy.get(), FileTime.fromMillis(System.currentTimeMillis()));
      return Optional.of(read);
    } catch (IOException | RuntimeException e) {
      deleteQuietly(copy.get());
      return Optional.empty();
    }
  }

  /**
   * Keeps {@code pairs}, the images of {@code file} (with this trailer) as their pairs of features, as
   * its pairs copy, beside its packed copy: the magic bytes, then as little-endian ints the feature
   * size, the samples, the entries and the CRC-32 of the rest, which is the samples' starts and the
   * entries (ints).
   */
  void keepPairs(Path file, Trailer trailer, PackedPairs pairs) {
    Optional<Path> copy = copyOf(file, trailer, PAIRS_SUFFIX);
    if (copy.isEmpty()) return;
    CRC32 crc = new CRC32();
    ints(pairs.starts(), crc::update);
    ints(pairs.entries(), crc::update);
    ByteBuffer header = ByteBuffer.allocate(PAIRS_HEADER).order(ByteOrder.LITTLE_ENDIAN).put(PAIRS_MAGIC)
        .putInt(pairs.featureSize()).putInt(pairs.size()).putInt(pairs.entries().length).putInt((int) crc.getValue());
    writeAtomically(copy.get(), out -> {
      out.write(header.array());
      ints(pairs.starts(), out::write);
      ints(pairs.entries(), out::write);
    });
  }

  /** What takes the bytes of a chunk of ints. */
  private interface ChunkSink<E extends Exception> {
    void accept(byte[] chunk, int offset, int length) throws E;
  }

  /** {@code values} as little-endian bytes, a chunk at a time, into {@code sink}. */
  private static <E extends Exception> void ints(int[] values, ChunkSink<E> sink) throws E {
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    for (int from = 0; from < values.length; from += CHUNK / Integer.BYTES) {
      int count = Math.min(CHUNK / Integer.BYTES, values.length - from);
      chunk.clear();
      chunk.asIntBuffer().put(values, from, count);
      sink.accept(chunk.array(), 0, count * Integer.BYTES);
    }
  }

  /** {@code count} little-endian ints from {@code channel}, a chunk at a time, their bytes added to {@code crc}. */
  private static int[] readInts(FileChannel channel, int count, CRC32 crc) throws IOException {
    int[] values = new int[count];
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
    for (int from = 0; from < count; from += CHUNK / Integer.BYTES) {
      int n = Math.min(CHUNK / Integer.BYTES, count - from);
      chunk.clear().limit(n * Integer.BYTES);
      readFully(channel, chunk);
      crc.update(chunk.array(), 0, n * Integer.BYTES);
      chunk.flip().asIntBuffer().get(values, from, n);
    }
    return values;
  }

  private static ByteBuffer readFully(FileChannel channel, ByteBuffer into) throws IOException {
    while (into.hasRemaining()) {
      if (channel.read(into) < 0) throw new IOException("ends early");
    }
    return into;
  }

  /** The copy at {@code copy}, when there is one and its CRC-32 is the trailer's. */
  private static Optional<IdxArray> read(Path copy, Trailer trailer, int dimensions) {
    if (!Files.isRegularFile(copy)) return Optional.empty();
    try {
      IdxArray read = Idx.read(copy, dimensions);
      if (crc(read) != trailer.crc()) {
        Files.deleteIfExists(copy);
        return Optional.empty();
      }
      Files.setLastModifiedTime(copy, FileTime.fromMillis(System.currentTimeMillis()));
      return Optional.of(read);
    } catch (IOException | RuntimeException e) {
      // NncDataException among them: a copy that does not read as the IDX file it stands for
      deleteQuietly(copy);
      return Optional.empty();
    }
  }

  /** Keeps {@code read}, a file's inflated content, at {@code copy}, and drops the copies used longest ago. */
  private void keep(Path copy, Trailer trailer, IdxArray read) {
    if (crc(read) != trailer.crc()) return;
    writeAtomically(copy, out -> {
      out.write(header(read));
      out.write(read.bytes());
    });
  }

  /** What a copy's file holds. */
  private interface Contents {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Writes {@code copy} whole or not at all, then drops the copies used longest ago; whether it was written. */
  private boolean writeAtomically(Path copy, Contents contents) {
    Path temp = null;
    try {
      Files.createDirectories(dir);
      temp = Files.createTempFile(dir, ".inflating-", ".tmp");
      try (OutputStream out = Files.newOutputStream(temp, StandardOpenOption.WRITE)) {
        contents.writeTo(out);
      }
      Files.move(temp, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      temp = null;
      prune();
      return true;
    } catch (IOException | RuntimeException e) {
      return false; // no copy this time
    } finally {
      if (temp != null) deleteQuietly(temp);
    }
  }

  /** The raw copy's place for {@code file} as it is now. */
  private Optional<Path> copyOf(Path file, Trailer trailer) {
    return copyOf(file, trailer, SUFFIX);
  }

  /** The place of a copy for {@code file} as it is now: named by its real path, size, time and trailer, and the kind's suffix. */
  private Optional<Path> copyOf(Path file, Trailer trailer, String suffix) {
    try {
      Path real = file.toRealPath();
      String key = real + "\n" + Files.size(real) + "\n" + Files.getLastModifiedTime(real).toMillis() + "\n" + trailer.crc()
          + "\n" + trailer.length();
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return Optional.of(dir.resolve(HexFormat.of().formatHex(digest, 0, 16) + suffix));
    } catch (IOException | NoSuchAlgorithmException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** The CRC-32 of the IDX file that holds {@code array}: its header, then its values. */
  private static long crc(IdxArray array) {
    CRC32 crc = new CRC32();
    crc.update(header(array));
    crc.update(array.bytes());
    return crc.getValue();
  }

  /** The IDX header of an array of unsigned bytes: magic number, then the size of each dimension, big-endian. */
  private static byte[] header(IdxArray array) {
    int[] shape = array.shape();
    ByteBuffer header = ByteBuffer.allocate(4 + 4 * shape.length).putInt(Idx.UNSIGNED_BYTE << 8 | shape.length);
    for (int size : shape) header.putInt(size);
    return header.array();
  }

  /** Deletes the copies beyond the {@value #KEPT} used last, and temporary files a stopped run left. */
  private void prune() throws IOException {
    List<Path> copies = new ArrayList<>();
    long dayAgo = System.currentTimeMillis() - 24 * 3600_000L;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (name.endsWith(SUFFIX) || name.endsWith(PACKED_SUFFIX) || name.endsWith(PAIRS_SUFFIX)) copies.add(f);
        else if (name.startsWith(".inflating-") && Files.getLastModifiedTime(f).toMillis() < dayAgo) deleteQuietly(f);
      }
    }
    if (copies.size() <= KEPT) return;
    copies.sort((a, b) -> Long.compare(lastModified(b), lastModified(a)));
    for (Path old : copies.subList(KEPT, copies.size())) deleteQuietly(old);
  }

  private static long lastModified(Path f) {
    try {
      return Files.getLastModifiedTime(f).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  private static void deleteQuietly(Path f) {
    try {
      Files.deleteIfExists(f);
    } catch (IOException ignored) {
      // a copy that cannot be deleted fails its check again next time, and is not used
    }
  }
}
