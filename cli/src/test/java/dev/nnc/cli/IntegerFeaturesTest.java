package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnc.runtime.Idx;
import dev.nnc.runtime.IdxArray;
import dev.nnc.runtime.Npy;
import dev.nnc.runtime.NpyArray;
import dev.nnc.runtime.NpyType;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One rule for integer features across the commands: uint8 pixels are divided by 255 whether they
 * come from IDX files or {@code .npy}, in {@code train}, {@code eval} and {@code predict} alike, a
 * line says so, and {@code --no-scale} keeps them 0-255. And where MNIST's files are looked for.
 */
class IntegerFeaturesTest {
  @TempDir
  Path dir;

  /** Four "pixels" a sample; class 1 when the first two are bright. */
  static final String PIXELS = """
      input 4;
      dense 8 relu;
      dense 2 softmax;
      loss sparse_ce;
      optimizer adam(learning_rate = 0.01);
      metrics accuracy;
      train batch 16 epochs 2 seed 3;
      """;

  static final int SAMPLES = 200;
  Path model;
  Path bytes;
  Path unitFloats;
  Path rawFloats;
  Path labels;
  Path weights;

  @BeforeEach
  void writeData() {
    model = write("pixels.nn", PIXELS);
    SplittableRandom random = new SplittableRandom(11);
    float[] pixels = new float[SAMPLES * 4];
    float[] unit = new float[SAMPLES * 4];
    float[] classes = new float[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) {
      classes[i] = random.nextInt(2);
      for (int k = 0; k < 4; k++) {
        boolean bright = classes[i] == 1 ? k < 2 : k >= 2;
        pixels[i * 4 + k] = bright ? 150 + random.nextInt(106) : random.nextInt(100);
        unit[i * 4 + k] = pixels[i * 4 + k] / 255f;
      }
    }
    bytes = npy("x_uint8.npy", NpyType.UINT8, new int[] {SAMPLES, 2, 2}, pixels);
    unitFloats = npy("x_unit.npy", NpyType.FLOAT32, new int[] {SAMPLES, 4}, unit);
    rawFloats = npy("x_raw.npy", NpyType.FLOAT32, new int[] {SAMPLES, 4}, pixels.clone());
    labels = npy("y.npy", NpyType.UINT8, new int[] {SAMPLES}, classes);
    weights = dir.resolve("pixels.npz");
  }

  private static final Pattern EVAL_RESULT = Pattern.compile("(?m)^accuracy: [0-9.]+ - loss: ([0-9.]+)$");

  private static String evalLine(Cli result) {
    assertEquals(0, result.exitCode(), result::toString);
    Matcher m = EVAL_RESULT.matcher(result.out());
    assertTrue(m.find(), result::toString);
    return m.group();
  }

  @Test
  void uint8NpyIsScaledAsFloatsDividedBy255AndTheOutputSaysSo() {
    Cli train = Cli.run("train", model.toString(), "--x", bytes.toString(), "--y", labels.toString(),
        "--save", weights.toString());
    assertEquals(0, train.exitCode(), train::toString);
    assertTrue(train.err().contains(bytes + ": uint8 pixels scaled to [0, 1] (divided by 255); --no-scale keeps them 0-255\n"),
        train::toString);

    Cli fromBytes = Cli.run("eval", model.toString(), "--weights", weights.toString(), "--x", bytes.toString(),
        "--y", labels.toString());
    Cli fromFloats = Cli.run("eval", model.toString(), "--weights", weights.toString(), "--x", unitFloats.toString(),
        "--y", labels.toString());
    assertEquals(evalLine(fromFloats), evalLine(fromBytes), "uint8 pixels read as the floats / 255 they stand for");
    assertTrue(fromBytes.err().contains(bytes + ": uint8 pixels scaled to [0, 1]"), fromBytes::toString);
    assertEquals("", fromFloats.err(), "float features are never scaled, and nothing is said about them");

    Cli kept = Cli.run("eval", model.toString(), "--weights", weights.toString(), "--x", bytes.toString(),
        "--y", labels.toString(), "--no-scale");
    Cli raw = Cli.run("eval", model.toString(), "--weights", weights.toString(), "--x", rawFloats.toString(),
        "--y", labels.toString());
    assertEquals(evalLine(raw), evalLine(kept), "--no-scale: the values 0-255 as they are");
    assertNotEquals(evalLine(fromBytes), evalLine(kept));
    assertEquals(bytes + ": uint8 values kept as 0-255\n", kept.err());
    Cli rawNoScale = Cli.run("eval", model.toString(), "--weights", weights.toString(), "--x", rawFloats.toString(),
        "--y", labels.toString(), "--no-scale");
    assertEquals(evalLine(raw), evalLine(rawNoScale), "floats are never scaled, with or without --no-scale");
  }

  @Test
  void otherIntegerTypesAreTakenAsTheyAreAndSaidSo() {
    Path longs = npy("x_int64.npy", NpyType.INT64, new int[] {SAMPLES, 4}, Npy.read(rawFloats).data().clone());
    assertEquals(0, Cli.run("train", model.toString(), "--x", bytes.toString(), "--y", labels.toString(),
        "--save", weights.toString()).exitCode());
    Cli fromLongs = Cli.run("eval", model.toString(), "--weights", weights.toString(), "--x", longs.toString(),
        "--y", labels.toString());
    Cli raw = Cli.run("eval", model.toString(), "--weights", weights.toString(), "--x", rawFloats.toString(),
        "--y", labels.toString());
    assertEquals(evalLine(raw), evalLine(fromLongs));
    assertEquals(longs + ": int64 values taken as they are (only uint8 is scaled)\n", fromLongs.err());
  }

  @Test
  void predictReadsSamplesAsTrainAndEvalDo() throws Exception {
    assertEquals(0, Cli.run("train", model.toString(), "--x", bytes.toString(), "--y", labels.toString(),
        "--save", weights.toString()).exitCode());
    Path fromBytes = dir.resolve("p_bytes.npy");
    Path fromFloats = dir.resolve("p_floats.npy");
    Path kept = dir.resolve("p_kept.npy");
    Path raw = dir.resolve("p_raw.npy");
    Cli bytesRun = predict(bytes, fromBytes);
    assertTrue(bytesRun.err().contains(bytes + ": uint8 pixels scaled to [0, 1]"), bytesRun::toString);
    predict(unitFloats, fromFloats);
    assertArrayEquals(Files.readAllBytes(fromFloats), Files.readAllBytes(fromBytes));
    predict(bytes, kept, "--no-scale");
    predict(rawFloats, raw);
    assertArrayEquals(Files.readAllBytes(raw), Files.readAllBytes(kept));
    assertFalse(java.util.Arrays.equals(Files.readAllBytes(kept), Files.readAllBytes(fromBytes)));
    // With labels: the same data set as eval's, and the same line.
    Cli labelled = Cli.run("predict", model.toString(), "--weights", weights.toString(), "--x", bytes.toString(),
        "--y", labels.toString(), "--out", dir.resolve("p.npy").toString());
    Cli eval = Cli.run("eval", model.toString(), "--weights", weights.toString(), "--x", bytes.toString(),
        "--y", labels.toString());
    assertEquals(evalLine(eval), evalLine(labelled));
  }

  private Cli predict(Path samples, Path out, String... more) {
    String[] args = {"predict", model.toString(), "--weights", weights.toString(), "--x", samples.toString(),
        "--out", out.toString()};
    String[] all = java.util.Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    Cli result = Cli.run(all);
    assertEquals(0, result.exitCode(), result::toString);
    return result;
  }

  /** MNIST-shaped IDX files of a few images, only the test set's: enough for eval and predict, not for train. */
  @Test
  void evalAndPredictNeedOnlyTheTestFilesInEitherFolderForm() throws Exception {
    Path mnistModel = write("small.nn", "input 784; dense 10 softmax; loss sparse_ce; metrics accuracy; train batch 8 epochs 1;");
    int n = 16;
    SplittableRandom random = new SplittableRandom(5);
    float[] pixels = new float[n * 784];
    float[] classes = new float[n];
    for (int i = 0; i < pixels.length; i++) pixels[i] = random.nextInt(4) == 0 ? random.nextInt(256) : 0;
    for (int i = 0; i < n; i++) classes[i] = random.nextInt(10);
    Path x = npy("mnist_x.npy", NpyType.UINT8, new int[] {n, 28, 28}, pixels);
    Path y = npy("mnist_y.npy", NpyType.UINT8, new int[] {n}, classes);
    Path w = dir.resolve("small.npz");
    assertEquals(0, Cli.run("train", mnistModel.toString(), "--x", x.toString(), "--y", y.toString(), "--save", w.toString())
        .exitCode());

    Path parent = Files.createDirectories(dir.resolve("data/mnist")).getParent();
    Files.write(parent.resolve("mnist/t10k-images-idx3-ubyte"), idx(0x803, new int[] {n, 28, 28}, pixels));
    Files.write(parent.resolve("mnist/t10k-labels-idx1-ubyte"), idx(0x801, new int[] {n}, classes));
    Cli npyEval = Cli.run("eval", mnistModel.toString(), "--weights", w.toString(), "--x", x.toString(), "--y", y.toString());
    for (Path folder : new Path[] {parent, parent.resolve("mnist")}) {
      Cli idxEval = Cli.run("eval", mnistModel.toString(), "--weights", w.toString(), "--data", folder.toString());
      assertEquals(evalLine(npyEval), evalLine(idxEval), "--data " + folder);
      assertTrue(idxEval.err().contains(parent.resolve("mnist/t10k-images-idx3-ubyte")
          + ": uint8 pixels scaled to [0, 1] (divided by 255); --no-scale keeps them 0-255"), idxEval::toString);
      Path out = dir.resolve("p.npy");
      Cli predicted = Cli.run("predict", mnistModel.toString(), "--weights", w.toString(), "--data", folder.toString(),
          "--out", out.toString());
      assertEquals(evalLine(npyEval), evalLine(predicted), "predict --data " + folder);
    }

    // train needs the training files too, and says where it looked.
    Cli train = Cli.run("train", mnistModel.toString(), "--data", parent.toString());
    assertEquals(1, train.exitCode(), train::toString);
    assertEquals("nnc: error: " + parent.resolve("mnist") + ": MNIST file(s) missing: train-images-idx3-ubyte.gz,"
        + " train-labels-idx1-ubyte.gz. A data folder holds train-images-idx3-ubyte, train-labels-idx1-ubyte,"
        + " t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each may be .gz), itself or in its mnist/ subfolder.\n",
        train.err());
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Cli none = Cli.run("eval", mnistModel.toString(), "--weights", w.toString(), "--data", empty.toString());
    assertEquals(1, none.exitCode(), none::toString);
    assertEquals("nnc: error: " + empty + ": MNIST file(s) missing: t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz."
        + " A data folder holds t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each may be .gz), itself or in its"
        + " mnist/ subfolder.\n", none.err());
    assertFalse(none.showsStackTrace());
  }

  /**
   * The case that was reported: a model trained on MNIST's IDX files, evaluated on a uint8 {@code .npy}
   * copy of its test images (as {@code keras.datasets.mnist} gives them), gets the same loss.
   */
  @Test
  void aUint8NpyCopyOfMnistsTestImagesEvaluatesAsTheIdxFilesDo() throws Exception {
    String data = System.getProperty("nnc.data", "");
    assumeTrue(!data.isBlank() && !data.contains("${"), "nnc.data is not set (set NNC_DATA to run this test)");
    Path shared = Path.of(data); // the data folder, in either form
    Path mnist = Files.isRegularFile(shared.resolve("t10k-images-idx3-ubyte.gz")) ? shared : shared.resolve("mnist");
    assumeTrue(Files.isDirectory(mnist), () -> mnist + " does not exist");
    Path mnistModel = write("mnist.nn", "input 28x28; flatten; dense 10 softmax; loss sparse_ce; metrics accuracy;"
        + " train batch 256 epochs 1 seed 1;");
    Path w = dir.resolve("mnist.npz");
    Cli train = Cli.run("train", mnistModel.toString(), "--data", shared.toString(), "--save", w.toString());
    assertEquals(0, train.exitCode(), train::toString);

    IdxArray images = Idx.readImages(mnist.resolve("t10k-images-idx3-ubyte.gz"));
    IdxArray classes = Idx.readLabels(mnist.resolve("t10k-labels-idx1-ubyte.gz"));
    int[] pixels = images.toInts();
    float[] values = new float[pixels.length];
    for (int i = 0; i < pixels.length; i++) values[i] = pixels[i];
    int[] digits = classes.toInts();
    float[] labelValues = new float[digits.length];
    for (int i = 0; i < digits.length; i++) labelValues[i] = digits[i];
    Path x = npy("x_test.npy", NpyType.UINT8, images.shape(), values);
    Path y = npy("y_test.npy", NpyType.UINT8, classes.shape(), labelValues);

    String fromIdx = evalLine(Cli.run("eval", mnistModel.toString(), "--weights", w.toString(), "--data", mnist.toString()));
    String fromNpy = evalLine(Cli.run("eval", mnistModel.toString(), "--weights", w.toString(),
        "--test-x", x.toString(), "--test-y", y.toString()));
    assertEquals(fromIdx, fromNpy);
    Matcher loss = EVAL_RESULT.matcher(fromNpy);
    assertTrue(loss.find() && Double.parseDouble(loss.group(1)) < 0.5, fromNpy);
    // Unscaled, the pixels are 255 times too bright for the weights: the loss the report saw.
    String unscaled = evalLine(Cli.run("eval", mnistModel.toString(), "--weights", w.toString(),
        "--test-x", x.toString(), "--test-y", y.toString(), "--no-scale"));
    Matcher worse = EVAL_RESULT.matcher(unscaled);
    assertTrue(worse.find() && Double.parseDouble(worse.group(1)) > 2 * Double.parseDouble(loss.group(1)), unscaled);
  }

  private static byte[] idx(int magic, int[] shape, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * shape.length + values.length).putInt(magic);
    for (int d : shape) b.putInt(d);
    for (float v : values) b.put((byte) v);
    return b.array();
  }

  private Path npy(String name, NpyType type, int[] shape, float[] values) {
    Path file = dir.resolve(name);
    Npy.write(file, new NpyArray(type, shape, values));
    return file;
  }

  private Path write(String name, String text) {
    try {
      return Models.write(dir, name, text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
