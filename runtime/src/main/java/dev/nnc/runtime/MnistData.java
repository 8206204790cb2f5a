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
 * Finds the MNIST IDX files (all four, or with {@link #locateTest} the two of the test set), in
 * this order:
 *
 * <ol>
 *   <li>an explicit data folder (the CLI's {@code --data DIR}), which must hold them;
 *   <li>the data folder named by the system property {@value #PROPERTY} or else the environment
 *       variable {@value #ENV}, which must hold them;
 *   <li>the per-user cache {@code ~/.nnc/datasets/mnist}, where missing files are downloaded once
 *       from {@value #BASE_URL}, each checked against its SHA-256 and written atomically.
 * </ol>
 *
 * <p>A data folder, given either way, holds the files itself or in its {@code mnist/} subfolder
 * (looked at in that order): the folder of the files and the folder above it both work.
 * Each file may be gzip-compressed ({@code NAME.gz}, as MNIST ships) or not ({@code NAME}).
 */
public final class MnistData {
  /** The system property naming the data folder (holding MNIST's files, or {@code mnist/} with them). */
  public static final String PROPERTY = "nnc.data";
  /** The environment variable naming the data folder, as {@link #PROPERTY}. */
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

  /** The test set's two files, in the order of {@link TestFiles}. */
  static final List<String> TEST_NAMES = NAMES.subList(2, 4);

  /** The four files, found. */
  public record Files(Path trainImages, Path trainLabels, Path testImages, Path testLabels) {
    /** The 60,000 training samples, pixels scaled to [0, 1]. */
    public Dataset train() {
      return train(FeatureScaling.UINT8_TO_UNIT);
    }

    /** The 60,000 training samples, pixels scaled as {@code scaling} says. */
    public Dataset train(FeatureScaling scaling) {
      return train(scaling, InflatedCopies.none());
    }

    /** {@link #train(FeatureScaling)}, compressed files read from their raw copies in {@code copies} (see {@link InflatedCopies}). */
    public Dataset train(FeatureScaling scaling, InflatedCopies copies) {
      return Datasets.fromIdx(trainImages, trainLabels, scaling, copies);
    }

    /** The 10,000 test samples, pixels scaled to [0, 1]. */
    public Dataset test() {
      return test(FeatureScaling.UINT8_TO_UNIT);
    }

    /** The 10,000 test samples, pixels scaled as {@code scaling} says. */
    public Dataset test(FeatureScaling scaling) {
      return test(scaling, InflatedCopies.none());
    }

    /** {@link #test(FeatureScaling)}, compressed files read from their raw copies in {@code copies}. */
    public Dataset test(FeatureScaling scaling, InflatedCopies copies) {
      return new TestFiles(testImages, testLabels).test(scaling, copies);
    }
  }

  /** The test set's two files, found: all that evaluating or predicting needs. */
  public record TestFiles(Path images, Path labels) {
    /** The 10,000 test samples, pixels scaled to [0, 1]. */
    public Dataset test() {
      return test(FeatureScaling.UINT8_TO_UNIT);
    }

    /** The 10,000 test samples, pixels scaled as {@code scaling} says. */
    public Dataset test(FeatureScaling scaling) {
      return test(scaling, InflatedCopies.none());
    }

    /** {@link #test(FeatureScaling)}, compressed files read from their raw copies in {@code copies}. */
    public Dataset test(FeatureScaling scaling, InflatedCopies copies) {
      return Datasets.fromIdx(images, labels, scaling, copies);
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
   * Finds MNIST's test set alone, as {@link #locate} finds all four files: a folder needs only
   * {@code t10k-images-idx3-ubyte[.gz]} and {@code t10k-labels-idx1-ubyte[.gz]}, and only they are
   * downloaded.
   */
  public static TestFiles locateTest(Path explicitDir, PrintStream log) {
    return system().findTest(explicitDir, log);
  }

  /**
   * The data folder named by {@value #PROPERTY} or {@value #ENV}, if either is set; blank
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
    List<Path> found = find(explicitDir, log, NAMES);
    return new Files(found.get(0), found.get(1), found.get(2), found.get(3));
  }

  TestFiles findTest(Path explicitDir, PrintStream log) {
    List<Path> found = find(explicitDir, log, TEST_NAMES);
    return new TestFiles(found.get(0), found.get(1));
  }

  /** The files {@code names}, from the first place that is configured (see the class comment). */
  private List<Path> find(Path explicitDir, PrintStream log, List<String> names) {
    if (explicitDir != null) {
      return require(explicitDir, "", names);
    }
    Optional<Path> shared = dataDir();
    if (shared.isPresent()) {
      return require(shared.get(), " (from " + ENV + " / " + PROPERTY + ")", names);
    }
    for (String name : names) {
      if (existing(cacheDir, name) == null) download(name + ".gz", log);
    }
    return require(cacheDir, "", names);
  }

  /** {@code names} in the data folder {@code dir} itself, else in {@code dir/mnist}; else an error saying what is missing. */
  private static List<Path> require(Path dir, String why, List<String> names) {
    Path subfolder = dir.resolve("mnist");
    List<String> missingHere = missing(dir, names);
    if (missingHere.isEmpty()) return found(dir, names);
    List<String> missingBelow = missing(subfolder, names);
    if (missingBelow.isEmpty()) return found(subfolder, names);
    // Name the folder the files were most likely meant to be in: mnist/ if it exists and the folder holds none of them.
    boolean meantBelow = java.nio.file.Files.isDirectory(subfolder) && missingHere.size() == names.size();
    throw new NncDataException((meantBelow ? subfolder : dir) + why + ": MNIST file(s) missing: "
        + String.join(", ", meantBelow ? missingBelow : missingHere) + ". A data folder holds "
        + String.join(", ", names) + " (each may be .gz), itself or in its mnist/ subfolder.");
  }

  private static List<String> missing(Path dir, List<String> names) {
    List<String> missing = new ArrayList<>();
    for (String name : names) {
      if (existing(dir, name) == null) missing.add(name + ".gz");
    }
    return missing;
  }

  private static List<Path> found(Path dir, List<String> names) {
    List<Path> found = new ArrayList<>();
    for (String name : names) found.add(existing(dir, name));
    return found;
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
            + ", or name a folder that holds them (or holds mnist/ with them) with " + ENV
            + " or nnc's --data DIR.", e);
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
