package dev.nnc.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Finds the four MNIST IDX files, in this order:
 *
 * <ol>
 *   <li>an explicit folder (the CLI's {@code --data DIR}), which must hold them;
 *   <li>the {@code mnist/} folder of the shared data folder named by the system property
 *       {@value #PROPERTY} or else the environment variable {@value #ENV}, which must hold them;
 *   <li>the per-user cache {@code ~/.nnc/datasets/mnist}, where missing files are downloaded once
 *       from {@value #BASE_URL}, each checked against its SHA-256 and written atomically.
 * </ol>
 *
 * <p>Each file may be gzip-compressed ({@code NAME.gz}, as MNIST ships) or not ({@code NAME}).
 */
public final class MnistData {
  /** The system property naming the shared data folder (the one holding {@code mnist/}). */
  public static final String PROPERTY = "nnc.data";
  /** The environment variable naming the shared data folder. */
  public static final String ENV = "NNC_DATA";
  /** The public mirror of the original archives. */
  public static final String BASE_URL = "https://storage.googleapis.com/cvdf-datasets/mnist/";

  /** The archives' SHA-256, from the canonical distribution. */
  static final Map<String, String> SHA256 = Map.of(
      "train-images-idx3-ubyte.gz", "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
      "train-labels-idx1-ubyte.gz", "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
      "t10k-images-idx3-ubyte.gz", "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
      "t10k-labels-idx1-ubyte.gz", "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6");

  /** The files' names without {@code .gz}, in the order of {@link Files}. */
  static final List<String> NAMES = List.of(
      "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

  /** The four files, found. */
  public record Files(Path trainImages, Path trainLabels, Path testImages, Path testLabels) {
    /** The 60,000 training samples. */
    public Dataset train() {
      return Datasets.fromIdx(trainImages, trainLabels);
    }

    /** The 10,000 test samples. */
    public Dataset test() {
      return Datasets.fromIdx(testImages, testLabels);
    }
  }

  /** Fetches a URL's body into a stream; a seam so tests never touch the network. */
  @FunctionalInterface
  interface Fetcher {
    void fetch(URI uri, OutputStream to) throws IOException;
  }

  private final UnaryOperator<String> properties;
  private final UnaryOperator<String> environment;
  private final Path cacheDir;
  private final Fetcher fetcher;
  private final Map<String, String> checksums;

  MnistData(UnaryOperator<String> properties, UnaryOperator<String> environment, Path cacheDir,
      Fetcher fetcher, Map<String, String> checksums) {
    this.properties = properties;
    this.environment = environment;
    this.cacheDir = cacheDir;
    this.fetcher = fetcher;
    this.checksums = checksums;
  }

  private static MnistData system() {
    return new MnistData(System::getProperty, System::getenv,
        Path.of(System.getProperty("user.home"), ".nnc", "datasets", "mnist"), MnistData::httpGet, SHA256);
  }

  /**
   * Finds MNIST, downloading it into the per-user cache if need be (progress lines go to {@code log}).
   *
   * @param explicitDir a folder that must hold the files, or {@code null} to look where configured
   * @throws NncDataException when the files are in none of the places and cannot be downloaded;
   *     the message says where to put them
   */
  public static Files locate(Path explicitDir, PrintStream log) {
    return system().find(explicitDir, log);
  }

  /**
   * The shared data folder named by {@value #PROPERTY} or {@value #ENV}, if either is set; blank
   * values and unexpanded build placeholders ({@code ${env.NNC_DATA}}) count as unset.
   */
  public static Optional<Path> configuredDataDir() {
    return system().dataDir();
  }

  Optional<Path> dataDir() {
    for (String value : new String[] {properties.apply(PROPERTY), environment.apply(ENV)}) {
      if (value != null && !value.isBlank() && !value.contains("${")) return Optional.of(Path.of(value));
    }
    return Optional.empty();
  }

  Files find(Path explicitDir, PrintStream log) {
    if (explicitDir != null) {
      return require(explicitDir, "");
    }
    Optional<Path> shared = dataDir();
    if (shared.isPresent()) {
      return require(shared.get().resolve("mnist"), " (from " + ENV + " / " + PROPERTY + ")");
    }
    for (String name : NAMES) {
      if (existing(cacheDir, name) == null) download(name + ".gz", log);
    }
    return require(cacheDir, "");
  }

  private Files require(Path dir, String why) {
    List<Path> found = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (String name : NAMES) {
      Path p = existing(dir, name);
      if (p == null) missing.add(name + ".gz");
      found.add(p);
    }
    if (!missing.isEmpty()) {
      throw new NncDataException(dir + why + ": MNIST file(s) missing: " + String.join(", ", missing)
          + ". The folder must hold " + String.join(", ", NAMES) + " (each may be .gz).");
    }
    return new Files(found.get(0), found.get(1), found.get(2), found.get(3));
  }

  /** {@code dir/name.gz}, else {@code dir/name}, else null. */
  private static Path existing(Path dir, String name) {
    Path gz = dir.resolve(name + ".gz");
    if (java.nio.file.Files.isRegularFile(gz)) return gz;
    Path raw = dir.resolve(name);
    return java.nio.file.Files.isRegularFile(raw) ? raw : null;
  }

  private void download(String file, PrintStream log) {
    URI uri = URI.create(BASE_URL + file);
    String expected = checksums.get(file);
    log.println("Downloading data from " + uri);
    AtomicFile.write(cacheDir.resolve(file), out -> {
      MessageDigest sha = sha256();
      try {
        fetcher.fetch(uri, new DigestOutputStream(out, sha));
      } catch (IOException e) {
        throw new NncDataException("MNIST is not in " + cacheDir + " and downloading " + uri + " failed ("
            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + "). Put the files "
            + String.join(", ", NAMES.stream().map(n -> n + ".gz").toList()) + " in " + cacheDir
            + ", or set " + ENV + " to a folder whose mnist/ subfolder holds them, or name a folder holding them"
            + " (nnc --data DIR).", e);
      }
      String actual = HexFormat.of().formatHex(sha.digest());
      if (!actual.equals(expected)) {
        throw new NncDataException(uri + ": the download has SHA-256 " + actual + ", expected " + expected
            + "; it was not saved");
      }
    });
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private static void httpGet(URI uri, OutputStream to) throws IOException {
    HttpClient client = HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(20)).build();
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(5)).GET().build();
    try {
      HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) throw new IOException("HTTP status " + response.statusCode());
        body.transferTo(to);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
