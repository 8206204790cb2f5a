package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The order MNIST is looked for in, and the checked download into the cache; never the network. */
class MnistDataTest {
  @TempDir Path tmp;
  private final List<URI> fetched = new ArrayList<>();
  private final PrintStream log = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  private Path folderWithMnist(String name) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(name));
    for (String file : MnistData.NAMES) Files.writeString(dir.resolve(file + ".gz"), file);
    return dir;
  }

  private static UnaryOperator<String> vars(String... keyValues) {
    Map<String, String> map = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) map.put(keyValues[i], keyValues[i + 1]);
    return map::get;
  }

  /** A fetcher serving fixed bytes per URL, counting calls. */
  private MnistData.Fetcher serving(Map<String, byte[]> bodies) {
    return (uri, to) -> {
      fetched.add(uri);
      byte[] body = bodies.get(uri.toString());
      if (body == null) throw new IOException("no route to host");
      to.write(body);
    };
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private MnistData data(UnaryOperator<String> props, UnaryOperator<String> env, MnistData.Fetcher fetcher,
      Map<String, String> sums) {
    return new MnistData(props, env, tmp.resolve("home/.nnc/datasets/mnist"), fetcher, sums);
  }

  @Test
  void anExplicitFolderComesFirst() throws IOException {
    Path explicit = folderWithMnist("explicit");
    Path shared = folderWithMnist("shared/mnist").getParent();
    MnistData.Files files = data(vars("nnc.data", shared.toString()), vars(), serving(Map.of()), MnistData.SHA256)
        .find(explicit, log);
    assertEquals(explicit.resolve("train-images-idx3-ubyte.gz"), files.trainImages());
    assertEquals(explicit.resolve("t10k-labels-idx1-ubyte.gz"), files.testLabels());
  }

  @Test
  void thenThePropertyThenTheEnvironmentVariable() throws IOException {
    Path fromProperty = folderWithMnist("prop/mnist").getParent();
    Path fromEnv = folderWithMnist("env/mnist").getParent();
    MnistData both = data(vars("nnc.data", fromProperty.toString()), vars("NNC_DATA", fromEnv.toString()),
        serving(Map.of()), MnistData.SHA256);
    assertEquals(fromProperty.resolve("mnist/train-labels-idx1-ubyte.gz"), both.find(null, log).trainLabels());
    // an unexpanded Maven placeholder or a blank value counts as unset
    MnistData envOnly = data(vars("nnc.data", "${env.NNC_DATA}"), vars("NNC_DATA", fromEnv.toString()),
        serving(Map.of()), MnistData.SHA256);
    assertEquals(fromEnv.resolve("mnist/train-labels-idx1-ubyte.gz"), envOnly.find(null, log).trainLabels());
    assertTrue(fetched.isEmpty());
  }

  @Test
  void uncompressedFilesAreFoundToo() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("raw"));
    for (String file : MnistData.NAMES) Files.writeString(dir.resolve(file), file);
    assertEquals(dir.resolve("t10k-images-idx3-ubyte"),
        data(vars(), vars(), serving(Map.of()), MnistData.SHA256).find(dir, log).testImages());
  }

  @Test
  void aConfiguredFolderWithoutTheFilesIsAnError() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("partial"));
    Files.writeString(dir.resolve("train-images-idx3-ubyte.gz"), "x");
    NncDataException e = assertThrows(NncDataException.class,
        () -> data(vars(), vars(), serving(Map.of()), MnistData.SHA256).find(dir, log));
    assertEquals(dir + ": MNIST file(s) missing: train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz,"
        + " t10k-labels-idx1-ubyte.gz. A data folder holds train-images-idx3-ubyte, train-labels-idx1-ubyte,"
        + " t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each may be .gz), itself or in its mnist/ subfolder.",
        e.getMessage());
    assertTrue(fetched.isEmpty(), "an explicit folder is never filled by downloading");
  }

  @Test
  void dataAndTheEnvironmentVariableTakeTheSameFolders() throws IOException {
    Path files = folderWithMnist("data/mnist");
    Path parent = files.getParent();
    for (Path given : new Path[] {files, parent}) {
      Path expected = files.resolve("t10k-images-idx3-ubyte.gz");
      assertEquals(expected, data(vars(), vars(), serving(Map.of()), MnistData.SHA256).find(given, log).testImages(),
          "--data " + given);
      assertEquals(expected, data(vars(), vars("NNC_DATA", given.toString()), serving(Map.of()), MnistData.SHA256)
          .find(null, log).testImages(), "NNC_DATA=" + given);
    }
    // Files in the folder itself come before those of its mnist/ subfolder.
    Path both = folderWithMnist("both");
    folderWithMnist("both/mnist");
    assertEquals(both.resolve("train-images-idx3-ubyte.gz"),
        data(vars(), vars(), serving(Map.of()), MnistData.SHA256).find(both, log).trainImages());
    assertTrue(fetched.isEmpty());
  }

  @Test
  void aFolderWhoseMnistSubfolderLacksFilesNamesTheSubfolder() throws IOException {
    Path parent = Files.createDirectories(tmp.resolve("parent/mnist")).getParent();
    Files.writeString(parent.resolve("mnist/t10k-images-idx3-ubyte.gz"), "x");
    Files.writeString(parent.resolve("mnist/t10k-labels-idx1-ubyte"), "x");
    NncDataException e = assertThrows(NncDataException.class,
        () -> data(vars(), vars("NNC_DATA", parent.toString()), serving(Map.of()), MnistData.SHA256).find(null, log));
    assertEquals(parent.resolve("mnist") + " (from NNC_DATA / nnc.data): MNIST file(s) missing:"
        + " train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz. A data folder holds train-images-idx3-ubyte,"
        + " train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each may be .gz), itself or in"
        + " its mnist/ subfolder.", e.getMessage());
    // The test set alone is there.
    MnistData.TestFiles test = data(vars(), vars("NNC_DATA", parent.toString()), serving(Map.of()), MnistData.SHA256)
        .findTest(null, log);
    assertEquals(parent.resolve("mnist/t10k-images-idx3-ubyte.gz"), test.images());
    assertEquals(parent.resolve("mnist/t10k-labels-idx1-ubyte"), test.labels());
  }

  @Test
  void theTestSetAloneIsFoundAndDownloadedAlone() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("test-only"));
    Files.writeString(dir.resolve("t10k-images-idx3-ubyte.gz"), "x");
    NncDataException e = assertThrows(NncDataException.class,
        () -> data(vars(), vars(), serving(Map.of()), MnistData.SHA256).findTest(dir, log));
    assertEquals(dir + ": MNIST file(s) missing: t10k-labels-idx1-ubyte.gz. A data folder holds t10k-images-idx3-ubyte,"
        + " t10k-labels-idx1-ubyte (each may be .gz), itself or in its mnist/ subfolder.", e.getMessage());

    Map<String, byte[]> bodies = new HashMap<>();
    Map<String, String> sums = new HashMap<>();
    for (String name : MnistData.NAMES) {
      byte[] body = ("content of " + name).getBytes(StandardCharsets.UTF_8);
      bodies.put(MnistData.BASE_URL + name + ".gz", body);
      sums.put(name + ".gz", sha256(body));
    }
    MnistData.TestFiles test = data(vars(), vars(), serving(bodies), sums).findTest(null, log);
    assertEquals(List.of(URI.create(MnistData.BASE_URL + "t10k-images-idx3-ubyte.gz"),
        URI.create(MnistData.BASE_URL + "t10k-labels-idx1-ubyte.gz")), fetched);
    assertEquals("content of t10k-labels-idx1-ubyte", Files.readString(test.labels()));
  }

  @Test
  void theCacheIsFilledOnceWithVerifiedDownloads() throws Exception {
    Map<String, byte[]> bodies = new HashMap<>();
    Map<String, String> sums = new HashMap<>();
    for (String name : MnistData.NAMES) {
      byte[] body = ("content of " + name).getBytes(StandardCharsets.UTF_8);
      bodies.put(MnistData.BASE_URL + name + ".gz", body);
      sums.put(name + ".gz", sha256(body));
    }
    MnistData data = data(vars(), vars(), serving(bodies), sums);
    MnistData.Files files = data.find(null, log);
    assertEquals(4, fetched.size());
    assertEquals("content of train-images-idx3-ubyte", Files.readString(files.trainImages()));
    data.find(null, log);
    assertEquals(4, fetched.size(), "a filled cache is not downloaded again");
  }

  @Test
  void aDownloadWithTheWrongChecksumIsNotKept() throws Exception {
    Map<String, byte[]> bodies = new HashMap<>();
    Map<String, String> sums = new HashMap<>();
    for (String name : MnistData.NAMES) {
      bodies.put(MnistData.BASE_URL + name + ".gz", "tampered".getBytes(StandardCharsets.UTF_8));
      sums.put(name + ".gz", sha256("original".getBytes(StandardCharsets.UTF_8)));
    }
    NncDataException e = assertThrows(NncDataException.class,
        () -> data(vars(), vars(), serving(bodies), sums).find(null, log));
    assertEquals(MnistData.BASE_URL + "train-images-idx3-ubyte.gz: the download has SHA-256 "
        + sha256("tampered".getBytes(StandardCharsets.UTF_8)) + ", expected "
        + sha256("original".getBytes(StandardCharsets.UTF_8)) + "; it was not saved", e.getMessage());
    try (Stream<Path> left = Files.list(tmp.resolve("home/.nnc/datasets/mnist"))) {
      assertEquals(List.of(), left.toList(), "neither the file nor a temporary file is left");
    }
  }

  @Test
  void withoutNetworkTheMessageSaysWhereToPutTheFiles() {
    NncDataException e = assertThrows(NncDataException.class,
        () -> data(vars(), vars(), serving(Map.of()), MnistData.SHA256).find(null, log));
    Path cache = tmp.resolve("home/.nnc/datasets/mnist");
    assertEquals("MNIST is not in " + cache + " and downloading " + MnistData.BASE_URL
        + "train-images-idx3-ubyte.gz failed (no route to host). Put the files train-images-idx3-ubyte.gz,"
        + " train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz in " + cache
        + ", or name a folder that holds them (or holds mnist/ with them) with NNC_DATA or nnc's --data DIR.",
        e.getMessage());
    assertFalse(Files.exists(cache.resolve("train-images-idx3-ubyte.gz")));
  }

  @Test
  void theChecksumTableIsTheDataReadmes() {
    assertEquals("440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        MnistData.SHA256.get("train-images-idx3-ubyte.gz"));
    assertEquals(4, MnistData.SHA256.size());
  }
}
