package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.compiler.CompileOptions;
import dev.nnc.compiler.Kernels;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-user cache of compiled model classes: hits, misses, and entries that cannot be trusted. */
class ClassCacheTest {

  @TempDir
  Path dir;

  private GeneratedModel blobs() throws Exception {
    Path file = Models.write(dir, "models/blobs.nn", Models.BLOBS);
    StringWriter err = new StringWriter();
    GeneratedModel generated = GeneratedModel.check(file, OptionalInt.empty(), Kernels.SCALAR, new PrintWriter(err))
        .orElseThrow(() -> new AssertionError(err.toString()));
    assertEquals("", err.toString());
    return generated;
  }

  private static List<Path> entries(ClassCache cache) throws Exception {
    try (Stream<Path> files = Files.list(cache.folder())) {
      return files.sorted().toList();
    }
  }

  /** The model behaves as a freshly compiled one: same parameters, same loss on the same batch. */
  private static void assertWorksLike(LoadedModel expected, LoadedModel actual) {
    assertEquals(expected.model().parameterCount(), actual.model().parameterCount());
    float[] x = {1, 2, -1, 0.5f};
    float[] y = {0, 1};
    assertEquals(expected.newInstance().evaluate(x, y, 2), actual.newInstance().evaluate(x, y, 2));
  }

  @Test
  void compilesOnceThenLoadsFromTheCache() throws Exception {
    ClassCache cache = new ClassCache(dir.resolve("cache/classes"));
    GeneratedModel generated = blobs();

    LoadedModel first = LoadedModel.load(generated, cache);
    LoadedModel second = LoadedModel.load(generated, cache);

    assertEquals("compiled by javac, stored in the cache", first.origin());
    assertEquals("from the cache", second.origin());
    assertNotSame(first.type(), second.type());
    assertWorksLike(first, second);
    List<Path> files = entries(cache);
    assertEquals(2, files.size(), files::toString);
    assertTrue(files.get(0).getFileName().toString().matches("[0-9a-f]{64}\\.(classes|index)"),
        "named by the hash alone, nothing of the model's name: " + files);
    assertTrue(files.get(1).getFileName().toString().matches("[0-9a-f]{64}\\.(classes|index)"),
        "named by the hash alone, nothing of the model's name: " + files);
  }

  @Test
  void remembersWhatAModelFileCompiledToAndFindsItBeforeTheFileIsChecked() throws Exception {
    ClassCache cache = new ClassCache(dir.resolve("cache"));
    GeneratedModel generated = blobs();
    CompileOptions options = GeneratedModel.options(OptionalInt.empty(), Kernels.SCALAR);
    assertTrue(LoadedModel.early(generated.file(), options, cache).isEmpty(), "nothing remembered yet");

    LoadedModel first = LoadedModel.load(generated, cache);
    Optional<LoadedModel.Early> early = LoadedModel.early(generated.file(), options, cache);
    LoadedModel second = LoadedModel.load(generated, cache, early);

    assertTrue(early.isPresent());
    assertSame(early.get().type(), second.type());
    // the early instance is the JIT warm-up's: the model trained is another
    assertNotSame(early.get().model(), second.model());
    assertEquals("from the cache, loaded while the model was checked", second.origin());
    assertWorksLike(first, second);
    // Other options, or a changed file, are other model keys: nothing early.
    assertTrue(LoadedModel.early(generated.file(), GeneratedModel.options(OptionalInt.of(7), Kernels.SCALAR), cache)
        .isEmpty());
    Files.writeString(generated.file(), Models.BLOBS + "# changed\n");
    assertTrue(LoadedModel.early(generated.file(), options, cache).isEmpty());
    assertTrue(LoadedModel.early(dir.resolve("missing.nn"), options, cache).isEmpty());
  }

  @Test
  void earlyClassesThatAreNotTheCheckedFilesAreNotUsed() throws Exception {
    ClassCache cache = new ClassCache(dir.resolve("cache"));
    GeneratedModel generated = blobs();
    LoadedModel other = LoadedModel.load(generated, cache);
    LoadedModel.Early stale = new LoadedModel.Early("00".repeat(32), other.type(), other.newInstance());

    LoadedModel loaded = LoadedModel.load(generated, cache, Optional.of(stale));

    assertNotSame(stale.model(), loaded.model());
    assertEquals("from the cache", loaded.origin());
  }

  @Test
  void aDamagedEntryIsCompiledAgainAndReplaced() throws Exception {
    ClassCache cache = new ClassCache(dir.resolve("cache"));
    GeneratedModel generated = blobs();
    LoadedModel original = LoadedModel.load(generated, cache);
    Path entry = entries(cache).stream().filter(f -> f.toString().endsWith(".classes")).findFirst().orElseThrow();
    byte[] good = Files.readAllBytes(entry);

    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 0x10;
    byte[][] damages = {new byte[0], "garbage".getBytes(), java.util.Arrays.copyOf(good, good.length - 1), flipped};
    for (byte[] damage : damages) {
      Files.write(entry, damage);
      LoadedModel reloaded = LoadedModel.load(generated, cache);
      assertEquals("compiled by javac, stored in the cache", reloaded.origin());
      assertWorksLike(original, reloaded);
      assertTrue(java.util.Arrays.equals(good, Files.readAllBytes(entry)), "the entry was written again");
      assertEquals("from the cache", LoadedModel.load(generated, cache).origin());
    }
    List<Path> left = entries(cache);
    assertEquals(2, left.size(), () -> "no temporary files left behind: " + left);
  }

  @Test
  void anEntryWhoseChecksumDoesNotMatchIsNotRead() throws Exception {
    ClassCache cache = new ClassCache(dir.resolve("cache"));
    GeneratedModel generated = blobs();
    LoadedModel.load(generated, cache);
    Path entry = entries(cache).stream().filter(f -> f.toString().endsWith(".classes")).findFirst().orElseThrow();
    String key = entry.getFileName().toString().replace(".classes", "");
    String name = generated.java().qualifiedName();
    assertTrue(cache.read(key, name).isPresent());

    // a byte of the bytecode changed, which the entry's format alone cannot tell
    byte[] changed = Files.readAllBytes(entry);
    changed[changed.length / 2] ^= 0x10;
    Files.write(entry, changed);
    assertTrue(cache.read(key, name).isEmpty());
  }

  @Test
  void aCacheThatCannotBeWrittenIsNoError() throws Exception {
    Path blocked = Files.writeString(dir.resolve("not-a-folder"), "a file where the cache folder should be");
    ClassCache cache = new ClassCache(blocked.resolve("classes"));

    LoadedModel loaded = LoadedModel.load(blobs(), cache);

    assertTrue(loaded.origin().startsWith("compiled by javac, not cached: "), loaded.origin());
    assertEquals(2 * 16 + 16 + 16 * 2 + 2, loaded.model().parameterCount());
  }

  @Test
  void theKeyCoversSourceClassOptionsAndClassPath() {
    List<Path> classPath = List.of(InMemoryCompiler.runtimeLocation());
    String key = ClassCache.key("a.B", "class B {}", List.of("-proc:none"), classPath);

    assertTrue(key.matches("[0-9a-f]{64}"), key);
    assertEquals(key, ClassCache.key("a.B", "class B {}", List.of("-proc:none"), classPath));
    assertNotEquals(key, ClassCache.key("a.B", "class B { }", List.of("-proc:none"), classPath));
    assertNotEquals(key, ClassCache.key("a.C", "class B {}", List.of("-proc:none"), classPath));
    assertNotEquals(key, ClassCache.key("a.B", "class B {}", List.of("-proc:none", "-g"), classPath));
    assertNotEquals(key, ClassCache.key("a.B", "class B {}", List.of("-proc:none"), List.of(Path.of("elsewhere.jar"))));
    // Field boundaries count: the same characters split differently are another key.
    assertNotEquals(ClassCache.key("a.B", "xclass B {}", List.of(), classPath),
        ClassCache.key("a.Bx", "class B {}", List.of(), classPath));
  }

  @Test
  void anEntryForAnotherClassIsAMiss() throws Exception {
    ClassCache cache = new ClassCache(dir.resolve("cache"));
    String key = "ab".repeat(32);
    assertTrue(cache.write(key, Map.of("demo.Other", new byte[] {1, 2, 3})).isEmpty());

    assertTrue(cache.read(key, "demo.Other").isPresent());
    assertFalse(cache.read(key, "demo.Wanted").isPresent());
    assertFalse(cache.read("cd".repeat(32), "demo.Other").isPresent());
  }

  @Test
  void keepsTheEntriesUsedLastAndDeletesTheRest() throws Exception {
    ClassCache cache = new ClassCache(dir.resolve("cache"), 3);
    String[] keys = {"a1", "b2", "c3", "d4", "e5"};
    for (int i = 0; i < 4; i++) {
      String key = keys[i].repeat(32);
      assertTrue(cache.write(key, Map.of("demo.C", new byte[] {(byte) i})).isEmpty());
      assertTrue(cache.writeIndex(keys[i + 1].repeat(32), key, "demo.C").isEmpty());
      // Written a minute apart, the first one first.
      for (Path file : entries(cache)) {
        if (file.getFileName().toString().startsWith(keys[i])) {
          Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - (10 - i) * 60_000L));
        }
      }
      for (Path file : entries(cache)) {
        if (file.getFileName().toString().startsWith(keys[i + 1]) && file.toString().endsWith(".index")) {
          Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() - (10 - i) * 60_000L));
        }
      }
    }
    // The fourth write kept three of the four class entries: the first one written went.
    assertFalse(cache.read(keys[0].repeat(32), "demo.C").isPresent());
    assertTrue(cache.read(keys[1].repeat(32), "demo.C").isPresent()); // now the one used last

    Path crashed = cache.folder().resolve(".x.classes.1234.tmp");
    Files.write(crashed, new byte[] {1});
    Files.setLastModifiedTime(crashed, FileTime.fromMillis(System.currentTimeMillis() - 2 * 24 * 3600_000L));
    Path writing = cache.folder().resolve(".y.classes.5678.tmp");
    Files.write(writing, new byte[] {1});
    assertTrue(cache.write(keys[4].repeat(32), Map.of("demo.C", new byte[] {4})).isEmpty());

    // c3, the oldest left, went; b2 stayed, as it was read; so did the newest index entries.
    assertTrue(cache.read(keys[1].repeat(32), "demo.C").isPresent());
    assertFalse(cache.read(keys[2].repeat(32), "demo.C").isPresent());
    assertTrue(cache.read(keys[3].repeat(32), "demo.C").isPresent());
    assertTrue(cache.read(keys[4].repeat(32), "demo.C").isPresent());
    long indexes = entries(cache).stream().filter(f -> f.toString().endsWith(".index")).count();
    assertEquals(3, indexes);
    assertFalse(cache.readIndex(keys[1].repeat(32)).isPresent());
    assertTrue(cache.readIndex(keys[4].repeat(32)).isPresent());
    assertFalse(Files.exists(crashed));
    assertTrue(Files.exists(writing));
  }

  @Test
  void theFolderComesFromThePropertyThenTheEnvironmentThenHome() {
    assertEquals(Path.of("/p"), ClassCache.root(name -> name.equals("nnc.cache") ? "/p" : null, name -> "/e"));
    assertEquals(Path.of("/e"), ClassCache.root(name -> "  ", name -> name.equals("NNC_CACHE") ? "/e" : null));
    assertEquals(Path.of(System.getProperty("user.home"), ".nnc", "cache"),
        ClassCache.root(name -> "${env.NNC_CACHE}", name -> null));
  }
}
