package dev.nnc.runtime;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The whole state of a {@link Trainer#fit} run between two epochs, as a checkpoint holds it: an
 * uncompressed NumPy {@code .npz} that {@code np.load} reads. Its arrays:
 *
 * <ul>
 *   <li>{@code dense_1/kernel}, {@code dense_1/bias}, ...: the parameters, float32, Keras names and
 *       layout (as a weights file);
 *   <li>{@code optimizer/dense_1/kernel/velocity}, ...: the optimizer's slots, float32
 *       ({@link Model#optimizerSlots()});
 *   <li>{@code optimizer/iterations} (int64), {@code optimizer/learning_rate} (float32): the step
 *       count and the current learning rate;
 *   <li>{@code fit/epoch} (int64): epochs finished; {@code fit/seed} (int64) and {@code fit/shuffle}
 *       (int64, 1 or 0): the shuffling generator, which a resumed run replays for the finished
 *       epochs to reach the next epoch's order; {@code fit/dropout_state} (int64 [2], or [0]
 *       without dropout): the dropout generator;
 *   <li>{@code history/loss}, {@code history/val_loss}, ... (float64 [epochs]): the history so far;
 *   <li>{@code callbacks/early_stopping/wait}, {@code .../best}, {@code .../best_weights/dense_1/kernel},
 *       {@code callbacks/reduce_lr_on_plateau/...}, {@code callbacks/model_checkpoint/best}: the
 *       callbacks' counters and bests (int64 and float64 scalars, float32 weights).
 * </ul>
 *
 * Scalars have shape {@code ()}. Integers are int64 and exact; the loader checks every array it
 * needs is there with its type and shape.
 */
public final class TrainingState {
  private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

  private final String source;
  private final Map<String, Entry> entries = new LinkedHashMap<>();

  /** One array: its type, shape and values (only those of its type set). */
  private record Entry(NpyType type, int[] shape, float[] floats, long[] longs, double[] doubles) {}

  /** An empty state, to be filled. */
  public TrainingState() {
    this("training state");
  }

  private TrainingState(String source) {
    this.source = source;
  }

  // ---------------------------------------------------------------- filling

  public void putFloats(String name, int[] shape, float[] values) {
    entries.put(name, new Entry(NpyType.FLOAT32, shape.clone(), values.clone(), null, null));
  }

  public void putLong(String name, long value) {
    entries.put(name, new Entry(NpyType.INT64, new int[0], null, new long[] {value}, null));
  }

  public void putLongs(String name, long[] values) {
    entries.put(name, new Entry(NpyType.INT64, new int[] {values.length}, null, values.clone(), null));
  }

  public void putDouble(String name, double value) {
    entries.put(name, new Entry(NpyType.FLOAT64, new int[0], null, null, new double[] {value}));
  }

  public void putDoubles(String name, List<Double> values) {
    double[] d = values.stream().mapToDouble(Double::doubleValue).toArray();
    entries.put(name, new Entry(NpyType.FLOAT64, new int[] {d.length}, null, null, d));
  }

  // ---------------------------------------------------------------- reading

  public boolean has(String name) {
    return entries.containsKey(name);
  }

  /** The names under {@code prefix} (which ends with '/'), without it, in the file's order. */
  public List<String> namesUnder(String prefix) {
    return entries.keySet().stream().filter(n -> n.startsWith(prefix)).map(n -> n.substring(prefix.length())).toList();
  }

  public float[] floats(String name, int[] shape) {
    Entry e = require(name, NpyType.FLOAT32, shape);
    return e.floats().clone();
  }

  public float floatScalar(String name) {
    return require(name, NpyType.FLOAT32, new int[0]).floats()[0];
  }

  public long longScalar(String name) {
    return require(name, NpyType.INT64, new int[0]).longs()[0];
  }

  public long[] longs(String name) {
    Entry e = entries.get(name);
    if (e == null || e.type() != NpyType.INT64 || e.shape().length != 1) throw problem(name, "an int64 vector");
    return e.longs().clone();
  }

  public double doubleScalar(String name) {
    return require(name, NpyType.FLOAT64, new int[0]).doubles()[0];
  }

  public List<Double> doubles(String name) {
    Entry e = entries.get(name);
    if (e == null || e.type() != NpyType.FLOAT64 || e.shape().length != 1) throw problem(name, "a float64 vector");
    return java.util.Arrays.stream(e.doubles()).boxed().toList();
  }

  public void putFloat(String name, float value) {
    entries.put(name, new Entry(NpyType.FLOAT32, new int[0], new float[] {value}, null, null));
  }

  private Entry require(String name, NpyType type, int[] shape) {
    Entry e = entries.get(name);
    if (e == null || e.type() != type || !java.util.Arrays.equals(e.shape(), shape)) {
      throw problem(name, type.numpyName() + " of shape " + Text.shape(shape));
    }
    return e;
  }

  private NncDataException problem(String name, String expected) {
    Entry e = entries.get(name);
    return new NncDataException(source + ": array '" + name + "' "
        + (e == null ? "is missing" : "is " + e.type().numpyName() + " of shape " + Text.shape(e.shape()))
        + "; a checkpoint of this run needs " + expected);
  }

  // ---------------------------------------------------------------- files

  /** Writes the state to {@code file} atomically: a failure leaves an old checkpoint intact. */
  public void write(Path file) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    entries.forEach((name, entry) -> files.put(name, npy(entry)));
    Npz.writeEntries(file, files, false);
  }

  private static byte[] npy(Entry e) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int count = (int) NpyArray.size(e.shape());
    // The header depends only on the type and shape.
    bytes.writeBytes(Npy.headerBytes(new NpyArray(e.type(), e.shape(), new float[count])));
    ByteBuffer b = ByteBuffer.allocate(count * e.type().itemSize()).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < count; i++) {
      switch (e.type()) {
        case FLOAT32 -> b.putFloat(e.floats()[i]);
        case INT64 -> b.putLong(e.longs()[i]);
        case FLOAT64 -> b.putDouble(e.doubles()[i]);
        default -> throw new IllegalStateException(e.type().toString());
      }
    }
    bytes.writeBytes(b.array());
    return bytes.toByteArray();
  }

  /**
   * Reads a state that {@link #write} wrote.
   *
   * @throws NncDataException naming the file and what is wrong with it
   */
  public static TrainingState read(Path file) {
    TrainingState state = new TrainingState(file.toString());
    try (ZipFile zip = new ZipFile(file.toFile())) {
      Enumeration<? extends ZipEntry> all = zip.entries();
      while (all.hasMoreElements()) {
        ZipEntry entry = all.nextElement();
        String entryName = entry.getName();
        if (entry.isDirectory() || !entryName.endsWith(".npy")) {
          throw NncDataException.at(file, "entry '" + entryName + "' is not a .npy array");
        }
        String name = entryName.substring(0, entryName.length() - 4);
        try (InputStream in = new BufferedInputStream(zip.getInputStream(entry), 1 << 16)) {
          state.entries.put(name, readEntry(in, file + ": array '" + name + "'"));
        }
      }
    } catch (ZipException e) {
      throw NncDataException.at(file, "not a checkpoint (a .npz archive): " + e.getMessage());
    } catch (IOException e) {
      throw NncDataException.io(file, e);
    }
    return state;
  }

  private static Entry readEntry(InputStream in, String where) throws IOException {
    byte[] start = in.readNBytes(10);
    if (start.length < 10 || !java.util.Arrays.equals(start, 0, 6, MAGIC, 0, 6) || start[6] != 1) {
      throw new NncDataException(where + ": not a .npy array as checkpoints write them");
    }
    int headerLength = (start[8] & 0xFF) | (start[9] & 0xFF) << 8;
    byte[] header = in.readNBytes(headerLength);
    NpyHeader h = NpyHeader.parse(new String(header, StandardCharsets.ISO_8859_1), where);
    NpyType type = NpyType.fromDescr(h.descr(), where);
    long count = NpyArray.size(h.shape());
    if (count > Integer.MAX_VALUE / 8) throw new NncDataException(where + ": too large");
    byte[] data = in.readNBytes((int) count * type.itemSize());
    if (data.length != count * type.itemSize() || h.fortranOrder() && h.shape().length > 1) {
      throw new NncDataException(where + ": truncated or not in C order");
    }
    ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
    int n = (int) count;
    switch (type) {
      case FLOAT32 -> {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = b.getFloat();
        return new Entry(type, h.shape(), f, null, null);
      }
      case INT64 -> {
        long[] l = new long[n];
        for (int i = 0; i < n; i++) l[i] = b.getLong();
        return new Entry(type, h.shape(), null, l, null);
      }
      case FLOAT64 -> {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = b.getDouble();
        return new Entry(type, h.shape(), null, null, d);
      }
      default -> throw new NncDataException(where + ": dtype " + type.numpyName() + " has no place in a checkpoint");
    }
  }

  /** The names of the arrays, in order. */
  public List<String> names() {
    return Collections.unmodifiableList(List.copyOf(entries.keySet()));
  }
}
