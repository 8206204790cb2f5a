package dev.nnc.cli;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * The per-user cache of compiled model classes, so that {@code train} and {@code eval} run javac
 * only for Java they have not compiled before.
 *
 * <p>An entry is keyed by the SHA-256 of everything that decides what javac writes: the generated
 * source and its class name, javac's options, the JDK (vendor, version, home), the nnc version and
 * the size and time of the runtime classes it compiles against. The file is named by that hash
 * alone: nothing from a model file or its name becomes part of a path. Entries are written
 * atomically (a temporary file, then a rename) and end with a CRC-32C of their contents; an entry
 * that is missing, unreadable, truncated or corrupt is a miss, and the classes are compiled and
 * stored again. The cache never makes a command fail: when it cannot be read or written the
 * classes are simply compiled.
 *
 * <p>Beside the classes, a small index entry per model file ({@link #modelKey}: the file's name and
 * contents, the options, nnc and the JDK) remembers which class key the file compiled to, so that a
 * re-run can load those classes while the file is still being checked. That is only a hint: they
 * are used once the checked file's own Java has the same class key.
 *
 * <p>Where: the folder named by the system property {@value #PROPERTY} or else the environment
 * variable {@value #ENV}, else {@code ~/.nnc/cache}; entries go in its {@code classes/} folder.
 * Deleting it at any time is safe.
 *
 * <p>The folder stays small: each write keeps the {@value #MAX_ENTRIES} class entries and as many
 * index entries used last (a read that hits marks its entry used), and deletes the rest and any
 * temporary file a crashed write left a day ago. A model edited and re-run all day would otherwise
 * leave an entry per edit.
 */
final class ClassCache {
  /** The system property naming the cache folder. */
  static final String PROPERTY = "nnc.cache";
  /** The environment variable naming the cache folder. */
  static final String ENV = "NNC_CACHE";

  /** Changes whenever the key's inputs or the entry format change, so that old entries are never read. */
  private static final String FORMAT = "nnc-classes-2";
  private static final byte[] MAGIC = (FORMAT + "\n").getBytes(StandardCharsets.US_ASCII);
  /**
   * An entry's contents end with their CRC-32C, which finds a truncated or damaged file: the key already
   * names the contents by a SHA-256. (A SHA-256 of the contents took 12-17 ms of the interpreter on the
   * MNIST example's 52 KB entry, ahead of the JIT warm-up on the way to the first training step; the
   * CRC's native code takes well under a millisecond.)
   */
  private static final int CHECKSUM_BYTES = 4;
  /** Entries are a few tens of kilobytes; anything far bigger is not one of ours. */
  private static final long MAX_ENTRY_BYTES = 64L << 20;
  /**
   * The temporary files' random names, made on the first write: a {@code SecureRandom} reads the JDK's
   * security configuration as it is made, which took the early start of a re-run, which only reads, a few
   * milliseconds.
   */
  private static final class TemporaryNames {
    static final SecureRandom RANDOM = new SecureRandom();
  }
  /** Class entries kept (each a few tens of kilobytes), and as many index entries. */
  static final int MAX_ENTRIES = 256;
  /** The endings of a class entry's and an index entry's file names, after the key. */
  private static final String CLASSES = ".classes", INDEX = ".index";
  /** A temporary file older than this is a crashed write's, not one in progress. */
  private static final long STALE_TEMPORARY_MILLIS = 24L * 60 * 60 * 1000;

  private final Path folder;
  private final int maxEntries;

  ClassCache(Path folder) {
    this(folder, MAX_ENTRIES);
  }

  /** A cache in {@code folder} that keeps the {@code maxEntries} class entries and index entries used last. */
  ClassCache(Path folder, int maxEntries) {
    if (maxEntries < 1) throw new IllegalArgumentException("maxEntries " + maxEntries);
    this.folder = folder;
    this.maxEntries = maxEntries;
  }

  /** The cache this user's commands share (see the class comment for where). */
  static ClassCache forUser() {
    return new ClassCache(root(System::getProperty, System::getenv).resolve("classes"));
  }

  static Path root(UnaryOperator<String> properties, UnaryOperator<String> environment) {
    for (String value : new String[] {properties.apply(PROPERTY), environment.apply(ENV)}) {
      if (value != null && !value.isBlank() && !value.contains("${")) return Path.of(value);
    }
    return Path.of(System.getProperty("user.home"), ".nnc", "cache");
  }

  /** The folder holding the entries. */
  Path folder() {
    return folder;
  }

  /**
   * The key of the classes javac makes of {@code source} (class {@code qualifiedName}) with
   * {@code options} against {@code classPath}: a SHA-256, in hex.
   */
  static String key(String qualifiedName, String source, List<String> options, List<Path> classPath) {
    MessageDigest sha = sha256();
    field(sha, "format", FORMAT);
    field(sha, "nnc", NncVersion.get());
    for (String property : new String[] {"java.vendor", "java.vm.name", "java.runtime.version", "java.home"}) {
      field(sha, property, String.valueOf(System.getProperty(property)));
    }
    field(sha, "options", String.join("\u0000", options));
    for (Path entry : classPath) field(sha, "classpath", identity(entry, dev.nnc.runtime.Model.class));
    field(sha, "class", qualifiedName);
    field(sha, "source", source);
    return HexFormat.of().formatHex(sha.digest());
  }

  /**
   * The key under which the cache remembers which classes a model file compiled to: the SHA-256 of
   * the file's name and contents, the compiler's options ({@code compileOptions}, described), and
   * the nnc, compiler, runtime and JDK that compiled it: all that the generated source depends on,
   * so that what it points to is what the file compiles to, and a re-run need not generate the
   * source again to find its classes.
   */
  static String modelKey(String displayName, String fileName, byte[] content, String compileOptions) {
    MessageDigest sha = sha256();
    field(sha, "format", FORMAT);
    field(sha, "nnc", NncVersion.get());
    for (String property : new String[] {"java.vendor", "java.vm.name", "java.runtime.version", "java.home"}) {
      field(sha, property, String.valueOf(System.getProperty(property)));
    }
    field(sha, "compiler", codeIdentity(dev.nnc.compiler.NncCompiler.class));
    field(sha, "runtime", codeIdentity(dev.nnc.runtime.Model.class));
    field(sha, "compile-options", compileOptions);
    field(sha, "display-name", displayName);
    field(sha, "file-name", fileName);
    sha.update(("content " + content.length + ":").getBytes(StandardCharsets.US_ASCII));
    sha.update(content);
    return HexFormat.of().formatHex(sha.digest());
  }

  private static String codeIdentity(Class<?> type) {
    java.security.CodeSource source = type.getProtectionDomain().getCodeSource();
    try {
      return source == null || source.getLocation() == null ? "unknown"
          : identity(Path.of(source.getLocation().toURI()), type);
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return "unknown";
    }
  }

  /** The class key that {@code modelKey} led to last time, with the class's name, if the cache remembers one. */
  Optional<Remembered> readIndex(String modelKey) {
    try {
      Path file = index(modelKey);
      if (!Files.isRegularFile(file) || Files.size(file) > 1024) return Optional.empty();
      String[] lines = Files.readString(file, StandardCharsets.UTF_8).split("\n", -1);
      if (lines.length != 4 || !lines[0].equals(FORMAT) || !isKey(lines[1]) || !lines[3].isEmpty()
          || !lines[2].matches("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*")) {
        return Optional.empty();
      }
      markUsed(file);
      return Optional.of(new Remembered(lines[1], lines[2]));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** What an index entry holds: the class key and the name of the class to load. */
  record Remembered(String classKey, String qualifiedName) {}

  /** Remembers that {@code modelKey} led to {@code classKey}; returns why not if it could not. */
  Optional<String> writeIndex(String modelKey, String classKey, String qualifiedName) {
    if (readIndex(modelKey).equals(Optional.of(new Remembered(classKey, qualifiedName)))) return Optional.empty();
    String content = FORMAT + "\n" + classKey + "\n" + qualifiedName + "\n";
    return writeAtomically(index(modelKey), content.getBytes(StandardCharsets.UTF_8));
  }

  private Path index(String modelKey) {
    if (!isKey(modelKey)) throw new IllegalArgumentException("not a cache key: " + modelKey);
    return folder.resolve(modelKey + INDEX);
  }

  private static boolean isKey(String key) {
    return key.matches("[0-9a-f]{64}");
  }

  /** One named, length-prefixed value of the key, so that no two different inputs hash the same bytes. */
  private static void field(MessageDigest sha, String name, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    sha.update((name + " " + bytes.length + ":").getBytes(StandardCharsets.UTF_8));
    sha.update(bytes);
  }

  /**
   * A class path entry's path with the size and modification time of what it holds: for a jar the
   * jar; for a classes folder the files of {@code probe}'s package, so that a rebuild is a new key.
   */
  private static String identity(Path entry, Class<?> probe) {
    StringBuilder id = new StringBuilder(entry.toAbsolutePath().toString());
    try {
      if (Files.isDirectory(entry)) {
        // A build's class folder: every class of the probe's package and its subpackages (the compiler's
        // emitters are in one), by size and time.
        Path probePackage = entry.resolve(probe.getPackageName().replace('.', '/'));
        TreeMap<String, String> files = new TreeMap<>();
        if (Files.isDirectory(probePackage)) {
          try (Stream<Path> tree = Files.walk(probePackage)) {
            for (Path file : (Iterable<Path>) tree.filter(Files::isRegularFile)::iterator) {
              files.put(probePackage.relativize(file).toString(), stamp(file));
            }
          }
        }
        files.forEach((name, stamp) -> id.append('|').append(name).append(' ').append(stamp));
      } else {
        id.append('|').append(stamp(entry));
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      id.append("|unreadable");
    }
    return id.toString();
  }

  private static String stamp(Path file) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    return attributes.size() + " " + attributes.lastModifiedTime().toMillis();
  }

  private Path entry(String key) {
    if (!isKey(key)) throw new IllegalArgumentException("not a cache key: " + key);
    return folder.resolve(key + CLASSES);
  }

  /**
   * The classes stored under {@code key} (binary name to bytecode), or empty when there is no
   * entry or it cannot be read, is not complete, or does not hold {@code qualifiedName}.
   */
  Optional<Map<String, byte[]>> read(String key, String qualifiedName) {
    Path file = entry(key);
    try {
      if (!Files.isRegularFile(file) || Files.size(file) > MAX_ENTRY_BYTES) return Optional.empty();
      byte[] content = Files.readAllBytes(file);
      if (content.length < MAGIC.length + CHECKSUM_BYTES) return Optional.empty();
      int body = content.length - CHECKSUM_BYTES;
      if (checksum(content, body) != ByteBuffer.wrap(content, body, CHECKSUM_BYTES).getInt()) return Optional.empty();
      if (!Arrays.equals(content, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) return Optional.empty();
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(content, MAGIC.length, body - MAGIC.length));
      if (!key.equals(in.readUTF())) return Optional.empty();
      int count = in.readInt();
      if (count < 1 || count > 10_000) return Optional.empty();
      Map<String, byte[]> classes = new TreeMap<>();
      for (int i = 0; i < count; i++) {
        String name = in.readUTF();
        int length = in.readInt();
        if (length < 0 || length > in.available()) return Optional.empty();
        classes.put(name, in.readNBytes(length));
      }
      if (in.available() != 0 || !classes.containsKey(qualifiedName)) return Optional.empty();
      markUsed(file);
      return Optional.of(classes);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * Stores {@code classes} under {@code key}, replacing any entry there in one rename.
   *
   * @return empty when stored, else why not (the cache is then left as it was)
   */
  Optional<String> write(String key, Map<String, byte[]> classes) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      CRC32C crc = new CRC32C();
      DataOutputStream out = new DataOutputStream(new CheckedOutputStream(bytes, crc));
      out.write(MAGIC);
      out.writeUTF(key);
      out.writeInt(classes.size());
      for (Map.Entry<String, byte[]> c : new TreeMap<>(classes).entrySet()) {
        out.writeUTF(c.getKey());
        out.writeInt(c.getValue().length);
        out.write(c.getValue());
      }
      out.flush();
      // the contents' checksum, after them and not part of them
      new DataOutputStream(bytes).writeInt((int) crc.getValue());
      Optional<String> notWritten = writeAtomically(entry(key), bytes.toByteArray());
      if (notWritten.isEmpty()) prune();
      return notWritten;
    } catch (IOException | RuntimeException e) {
      return Optional.of(why(e));
    }
  }

  /** A read that hit: the entry's time is now, so that {@link #prune} keeps it among the ones used last. */
  private static void markUsed(Path file) {
    try {
      Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis()));
    } catch (IOException | RuntimeException e) {
      // Then it only looks older than it is.
    }
  }

  /**
   * Deletes all but the {@code maxEntries} class entries and index entries used last, and temporary
   * files a day old. Best effort: another process may be pruning too, and a file deleted under a
   * reader is a miss, never an error.
   */
  void prune() {
    List<Path> classes = new ArrayList<>(), indexes = new ArrayList<>();
    long now = System.currentTimeMillis();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (isEntry(name, CLASSES)) {
          classes.add(file);
        } else if (isEntry(name, INDEX)) {
          indexes.add(file);
        } else if (name.startsWith(".") && name.endsWith(".tmp") && now - lastUsed(file) > STALE_TEMPORARY_MILLIS) {
          Files.deleteIfExists(file);
        }
      }
      deleteAllButNewest(classes);
      deleteAllButNewest(indexes);
    } catch (IOException | RuntimeException e) {
      // A cache that cannot be listed or pruned is only bigger.
    }
  }

  /** Whether {@code name} is a key followed by {@code ending}: an entry's file, not another one. */
  private static boolean isEntry(String name, String ending) {
    return name.endsWith(ending) && isKey(name.substring(0, name.length() - ending.length()));
  }

  private void deleteAllButNewest(List<Path> files) throws IOException {
    if (files.size() <= maxEntries) return;
    Map<Path, Long> used = new HashMap<>();
    for (Path file : files) used.put(file, lastUsed(file));
    files.sort(Comparator.comparing((Path file) -> used.get(file)).reversed());
    for (Path stale : files.subList(maxEntries, files.size())) Files.deleteIfExists(stale);
  }

  /** When {@code file} was written or last read; 0 if it is gone. */
  private static long lastUsed(Path file) {
    try {
      return Files.getLastModifiedTime(file).toMillis();
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Replaces {@code file} with {@code content} in one rename of a temporary file beside it.
   *
   * @return empty when written, else why not (the file is then left as it was)
   */
  private Optional<String> writeAtomically(Path file, byte[] content) {
    Path temporary = null;
    try {
      Files.createDirectories(folder);
      temporary = folder.resolve("." + file.getFileName() + "." + Long.toHexString(TemporaryNames.RANDOM.nextLong()) + ".tmp");
      Files.write(temporary, content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try {
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.of(why(e));
    } finally {
      if (temporary != null) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException e) {
          // A temporary file left behind is harmless: no entry has its name.
        }
      }
    }
  }

  private static String why(Exception e) {
    return e instanceof IOException io ? Failures.describe(io) : String.valueOf(e.getMessage());
  }

  /** The CRC-32C of {@code content}'s first {@code length} bytes, as {@link #write} stores it. */
  private static int checksum(byte[] content, int length) {
    CRC32C crc = new CRC32C();
    crc.update(content, 0, length);
    return (int) crc.getValue();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
