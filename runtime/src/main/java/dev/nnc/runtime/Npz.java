package dev.nnc.runtime;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes NumPy {@code .npz} archives: a zip of {@code NAME.npy} entries, stored (as
 * {@code np.savez} writes them) or deflated ({@code np.savez_compressed}). Names may contain
 * {@code '/'}, as Keras-named arrays do ({@code dense_1/kernel}).
 */
public final class Npz {
  private Npz() {}

  /** A fixed entry time, so the same arrays always give the same bytes. */
  private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

  /** Reads every array of {@code file}, by name, in the archive's order. */
  public static Map<String, NpyArray> read(Path file) {
    rejectPlainNpy(file);
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(file.toFile())) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        if (entry.isDirectory()) continue;
        String entryName = entry.getName();
        if (!entryName.endsWith(".npy")) {
          throw NncDataException.at(file, "entry '" + entryName + "' is not a .npy array");
        }
        String name = entryName.substring(0, entryName.length() - 4);
        if (arrays.containsKey(name)) {
          // Which copy counts would depend on the reader; numpy takes one, a zip tool another.
          throw NncDataException.at(file, "holds the array '" + name + "' twice; an .npz must name each array once");
        }
        try (InputStream in = new BufferedInputStream(zip.getInputStream(entry), 1 << 16)) {
          arrays.put(name, Npy.read(in, file + ": array '" + name + "'"));
        }
      }
    } catch (ZipException e) {
      throw NncDataException.at(file, "not a valid .npz (zip) archive: " + e.getMessage());
    } catch (IOException e) {
      throw NncDataException.io(file, e);
    }
    return Collections.unmodifiableMap(arrays);
  }

  /** Writes {@code arrays} as an uncompressed archive, as {@code np.savez} does, atomically. */
  public static void write(Path file, Map<String, NpyArray> arrays) {
    write(file, arrays, false);
  }

  /**
   * Writes {@code arrays} (name → array, in iteration order) to {@code file} atomically: a
   * temporary file, then a rename, so a failure leaves any old file intact.
   *
   * @param compressed deflate the entries, as {@code np.savez_compressed} does
   */
  public static void write(Path file, Map<String, NpyArray> arrays, boolean compressed) {
    Map<String, byte[]> files = new LinkedHashMap<>();
    for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try {
        Npy.write(bytes, e.getValue());
      } catch (IOException impossible) {
        throw new java.io.UncheckedIOException("writing to memory", impossible);
      }
      files.put(e.getKey(), bytes.toByteArray());
    }
    writeEntries(file, files, compressed);
  }

  /**
   * Writes {@code npyFiles} (name → the bytes of a whole {@code .npy} file, in iteration order) as
   * the entries {@code name.npy} of an archive, atomically; entries carry a fixed time, so the same
   * arrays make the same bytes.
   */
  static void writeEntries(Path file, Map<String, byte[]> npyFiles, boolean compressed) {
    AtomicFile.write(file, out -> {
      ZipOutputStream zip = new ZipOutputStream(out);
      for (Map.Entry<String, byte[]> e : npyFiles.entrySet()) {
        byte[] content = e.getValue();
        ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
        entry.setTimeLocal(ENTRY_TIME);
        if (compressed) {
          entry.setMethod(ZipEntry.DEFLATED);
        } else {
          // A stored entry needs its size and CRC before its data.
          CRC32 crc = new CRC32();
          crc.update(content);
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(content.length);
          entry.setCompressedSize(content.length);
          entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        zip.write(content);
        zip.closeEntry();
      }
      zip.finish();
    });
  }

  /** A .npy given where a .npz belongs deserves a better message than "zip END header not found". */
  private static void rejectPlainNpy(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] start = in.readNBytes(6);
      if (start.length == 6 && (start[0] & 0xFF) == 0x93 && new String(start, 1, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("NUMPY")) {
        throw NncDataException.at(file, "is a single .npy array, not an .npz archive of named arrays");
      }
    } catch (IOException e) {
      throw NncDataException.io(file, e);
    }
  }
}
