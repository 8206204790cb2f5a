package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.runtime.JitWarmUp;
import dev.nnc.runtime.Npy;
import dev.nnc.runtime.NpyArray;
import dev.nnc.runtime.Npz;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nnc train} and {@code nnc eval} on a small two-class problem written as .npy files. */
class TrainAndEvalTest {

  @TempDir
  Path dir;

  Path model;
  Path x;
  Path y;
  Path testX;
  Path testY;

  @BeforeEach
  void writeBlobs() throws Exception {
    model = Models.write(dir, "blobs.nn", Models.BLOBS);
    x = dir.resolve("x.npy");
    y = dir.resolve("y.npy");
    testX = dir.resolve("test_x.npy");
    testY = dir.resolve("test_y.npy");
    writeBlobs(x, y, 1000, 1);
    writeBlobs(testX, testY, 200, 2);
  }

  /** Two Gaussian blobs around (-1.5, -1.5) (class 0) and (1.5, 1.5) (class 1), 0.5 wide: separable. */
  private static void writeBlobs(Path features, Path labels, int n, long seed) {
    Models.writeBlobs(features, labels, n, seed, 1.5, 0.5);
  }

  private static final Pattern TEST_RESULT = Pattern.compile("(?m)^test_accuracy: ([0-9.]+) - test_loss: ([0-9.]+)$");
  private static final Pattern EVAL_RESULT = Pattern.compile("(?m)^accuracy: ([0-9.]+) - loss: ([0-9.]+)$");

  private static String group(Pattern pattern, String text, int group) {
    Matcher m = pattern.matcher(text);
    assertTrue(m.find(), () -> "no " + pattern + " in:\n" + text);
    return m.group(group);
  }

  @Test
  void trainsSavesAndEvalReadsTheWeightsBack() throws Exception {
    Path weights = dir.resolve("out/blobs.npz");
    Path history = dir.resolve("out/history.csv");

    Cli train = Cli.run("train", model.toString(), "--x", x.toString(), "--y", y.toString(),
        "--test-x", testX.toString(), "--test-y", testY.toString(), "--test-each-epoch", "--save", weights.toString(),
        "--history", history.toString());

    assertEquals(0, train.exitCode(), train::toString);
    assertEquals("", train.err());
    assertTrue(train.out().startsWith("val_* from the test set, test_x.npy + test_y.npy\nEpoch 1/2\n"), train::toString);
    assertTrue(train.out().contains("\nEpoch 2/2\n"), train::toString);
    assertTrue(train.out().contains(" - val_accuracy: "), train::toString);
    String testAccuracy = group(TEST_RESULT, train.out(), 1);
    assertTrue(Double.parseDouble(testAccuracy) >= 0.95, train::toString);

    Map<String, NpyArray> saved = Npz.read(weights);
    assertEquals(java.util.List.of("dense_1/kernel", "dense_1/bias", "dense_2/kernel", "dense_2/bias"),
        java.util.List.copyOf(saved.keySet()));
    assertArrayEquals(new int[] {2, 16}, saved.get("dense_1/kernel").shape());

    assertTrue(Files.readString(history).startsWith("epoch,accuracy,loss,val_accuracy,val_loss\r\n0,"),
        () -> "history:\n" + read(history));
    assertEquals(3, Files.readString(history).split("\r\n").length);

    Cli eval = Cli.run("eval", model.toString(), "--weights", weights.toString(),
        "--test-x", testX.toString(), "--test-y", testY.toString());

    assertEquals(0, eval.exitCode(), eval::toString);
    assertEquals("", eval.err());
    assertEquals(testAccuracy, group(EVAL_RESULT, eval.out(), 1), eval::toString);
    assertEquals(group(TEST_RESULT, train.out(), 2), group(EVAL_RESULT, eval.out(), 2), eval::toString);
  }

  @Test
  void sameSeedSameResultAndOptionsOverrideTheTrainStatement() throws Exception {
    String[] args = {"train", model.toString(), "--x", x.toString(), "--y", y.toString(),
        "--test-x", testX.toString(), "--test-y", testY.toString(), "--epochs", "1", "--batch", "50", "--seed", "3"};

    Cli first = Cli.run(args);
    Cli second = Cli.run(args);

    assertEquals(0, first.exitCode(), first::toString);
    assertTrue(first.out().startsWith("Epoch 1/1\n20/20 "), first::toString);
    assertEquals(group(TEST_RESULT, first.out(), 0), group(TEST_RESULT, second.out(), 0));
  }

  @Test
  void timingsGoToStderrAndChangeNothingElse() throws Exception {
    String[] args = {"train", model.toString(), "--x", x.toString(), "--y", y.toString(),
        "--test-x", testX.toString(), "--test-y", testY.toString(), "--epochs", "2"};
    String[] timed = java.util.Arrays.copyOf(args, args.length + 1);
    timed[args.length] = "--timings";

    Cli plain = Cli.run(args);
    Cli withTimings = Cli.run(timed);

    assertEquals(0, withTimings.exitCode(), withTimings::toString);
    assertEquals(stripTimes(plain.out()), stripTimes(withTimings.out()));
    String err = withTimings.err();
    assertTrue(err.startsWith("nnc: timings (seconds):\n"), withTimings::toString);
    for (String line : new String[] {"JVM start to main", "model read and checked", "model classes ",
        // float features: the warm-up's steps on dense values and on sparse ones
        "data read (in the background)", "JIT warm-up: " + 2 * JitWarmUp.STEPS + " steps on random data (in the background)",
        "JVM start to the first training step", "epoch 1 (steps; ", "epoch 2 (steps; ",
        "test set evaluated", "JVM start to the end"}) {
      assertTrue(Pattern.compile("(?m)^ +[0-9]+\\.[0-9]{3}  " + Pattern.quote(line)).matcher(err).find(),
          () -> "no '" + line + "' in:\n" + err);
    }
  }

  /** Progress lines without their times, which differ from run to run. */
  private static String stripTimes(String out) {
    return out.replaceAll(" [0-9]+m?s [0-9]+[mu]?s/step", "");
  }

  @Test
  void initContinuesFromSavedWeights() throws Exception {
    Path weights = dir.resolve("w.npz");
    assertEquals(0, Cli.run("train", model.toString(), "--x", x.toString(), "--y", y.toString(),
        "--save", weights.toString()).exitCode());

    Cli resumed = Cli.run("train", model.toString(), "--x", x.toString(), "--y", y.toString(),
        "--test-x", testX.toString(), "--test-y", testY.toString(), "--init", weights.toString(), "--epochs", "0");

    assertEquals(0, resumed.exitCode(), resumed::toString);
    Cli eval = Cli.run("eval", model.toString(), "--weights", weights.toString(),
        "--test-x", testX.toString(), "--test-y", testY.toString());
    assertEquals(group(EVAL_RESULT, eval.out(), 0), group(TEST_RESULT, resumed.out(), 0).replace("test_", ""));
  }

  @Test
  void initWithTheWrongShapeFailsAndLeavesTheSaveTargetAlone() throws Exception {
    Path wrong = dir.resolve("wrong.npz");
    Npz.write(wrong, Map.of(
        "dense_1/kernel", NpyArray.ofFloats(new int[] {2, 8}, new float[16]),
        "dense_1/bias", NpyArray.ofFloats(new int[] {16}, new float[16]),
        "dense_2/kernel", NpyArray.ofFloats(new int[] {16, 2}, new float[32]),
        "dense_2/bias", NpyArray.ofFloats(new int[] {2}, new float[2])));
    Path target = dir.resolve("keep.npz");
    Files.writeString(target, "precious");

    Cli result = Cli.run("train", model.toString(), "--x", x.toString(), "--y", y.toString(),
        "--init", wrong.toString(), "--save", target.toString());

    assertEquals(1, result.exitCode(), result::toString);
    assertEquals("", result.out());
    assertEquals("nnc: error: " + wrong + ": array 'dense_1/kernel' has shape [2, 8], the model needs [2, 16]\n",
        result.err());
    assertEquals("precious", Files.readString(target));
    try (Stream<Path> files = Files.list(dir)) {
      assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".nnc-tmp")));
    }
  }

  @Test
  void dataThatDoesNotFitTheModelIsAnInputError() throws Exception {
    Path wide = dir.resolve("wide.npy");
    Npy.write(wide, NpyArray.ofFloats(new int[] {1000, 3}, new float[3000]));

    Cli result = Cli.run("train", model.toString(), "--x", wide.toString(), "--y", y.toString());

    assertEquals(1, result.exitCode(), result::toString);
    // Told from the header, before the model is allocated or the data read.
    assertEquals("nnc: error: " + wide + ": 3 features per sample (shape [1000, 3]), but model Blobs takes 2\n", result.err());
    assertFalse(result.showsStackTrace(), result::toString);
  }

  @Test
  void aMissingOrCorruptDataFileIsAnInputError() throws Exception {
    Path corrupt = Models.write(dir, "corrupt.npy", "\u0093NUMPY garbage");

    Cli missing = Cli.run("train", model.toString(), "--x", dir.resolve("nope.npy").toString(), "--y", y.toString());
    Cli bad = Cli.run("eval", model.toString(), "--weights", corrupt.toString(), "--x", x.toString(), "--y", y.toString());

    assertEquals(1, missing.exitCode(), missing::toString);
    assertTrue(missing.err().startsWith("nnc: error: " + dir.resolve("nope.npy")), missing::toString);
    assertFalse(missing.showsStackTrace(), missing::toString);
    assertEquals(1, bad.exitCode(), bad::toString);
    assertTrue(bad.err().startsWith("nnc: error: " + corrupt), bad::toString);
    assertFalse(bad.showsStackTrace(), bad::toString);
  }

  @Test
  void aBadModelIsReportedBeforeAnyDataIsRead() throws Exception {
    Path bad = Models.write(dir, "bad.nn", Models.MISSPELLED_ACTIVATION);

    Cli result = Cli.run("train", bad.toString(), "--x", dir.resolve("nope.npy").toString(), "--y", y.toString());

    assertEquals(1, result.exitCode(), result::toString);
    assertTrue(result.err().startsWith(bad + ":2:"), result::toString);
    assertFalse(result.err().contains("nope.npy"), result::toString);
  }

  @Test
  void aFolderAsSaveTargetIsRefusedBeforeTraining() throws Exception {
    Cli result = Cli.run("train", model.toString(), "--x", x.toString(), "--y", y.toString(), "--save", dir.toString());

    assertEquals(1, result.exitCode(), result::toString);
    assertEquals("nnc: error: " + dir + ": is a folder; name a file to write\n", result.err());
    assertEquals("", result.out());
  }

  @Test
  void aRunTakesTheEarlyStartMainMadeForItsFileAndTrainsAsWithout() throws Exception {
    Path without = dir.resolve("without.npz");
    Path with = dir.resolve("with.npz");
    Cli first = Cli.run("train", model.toString(), "--x", x.toString(), "--y", y.toString(), "--save", without.toString());
    assertEquals(0, first.exitCode(), first::toString);

    String[] args = {"train", model.toString(), "--x", x.toString(), "--y", y.toString(), "--save", with.toString(),
        "--timings"};
    TrainCommand.startEarly(args);
    assertTrue(TrainCommand.earlyStartPending());
    Cli second = Cli.run(args);

    assertEquals(0, second.exitCode(), second::toString);
    assertFalse(TrainCommand.earlyStartPending(), "the run took it");
    assertTrue(second.err().contains("model classes from the cache, loaded while the model was checked"), second::toString);
    // the early start read --x too: float features, the warm-up's steps on dense values and on sparse ones
    assertTrue(second.err().contains("JIT warm-up: " + 2 * JitWarmUp.STEPS + " steps"), second::toString);
    assertWeightsEqual(without, with);
  }

  @Test
  void anEarlyStartForAnotherFileIsAbandoned() throws Exception {
    Path other = Models.write(dir, "other.nn", Models.BLOBS.replace("dense 16", "dense 8"));
    Path alone = dir.resolve("alone.npz");
    Path after = dir.resolve("after.npz");
    assertEquals(0, Cli.run("train", other.toString(), "--x", x.toString(), "--y", y.toString()).exitCode());
    assertEquals(0, Cli.run("train", model.toString(), "--x", x.toString(), "--y", y.toString(), "--save",
        alone.toString()).exitCode());

    TrainCommand.startEarly("train", other.toString(), "--x", x.toString(), "--y", y.toString());
    assertTrue(TrainCommand.earlyStartPending());
    Cli result = Cli.run("train", model.toString(), "--x", x.toString(), "--y", y.toString(), "--save", after.toString());

    assertEquals(0, result.exitCode(), result::toString);
    assertFalse(TrainCommand.earlyStartPending());
    assertWeightsEqual(alone, after);
  }

  @Test
  void anEarlyStartForOtherOptionsIsAbandoned() throws Exception {
    Path alone = dir.resolve("alone.npz");
    Path after = dir.resolve("after.npz");
    String[] small = {"train", model.toString(), "--x", x.toString(), "--y", y.toString(), "--batch", "8"};
    assertEquals(0, Cli.run(small).exitCode(), "the cache knows the classes for batches of 8");
    assertEquals(0, Cli.run("train", model.toString(), "--x", x.toString(), "--y", y.toString(), "--batch", "64",
        "--save", alone.toString()).exitCode());

    TrainCommand.startEarly(small);
    assertTrue(TrainCommand.earlyStartPending());
    Cli result = Cli.run("train", model.toString(), "--x", x.toString(), "--y", y.toString(), "--batch", "64", "--save",
        after.toString());

    assertEquals(0, result.exitCode(), result::toString);
    assertFalse(TrainCommand.earlyStartPending());
    assertWeightsEqual(alone, after);
  }

  @Test
  void theEarlyStartReadsTheOptionsThatChangeTheClassesAsPicocliDoes() throws Exception {
    String[] args = {"train", model.toString(), "--x", x.toString(), "--y", y.toString(), "--batch", "16", "--epochs=1",
        "--threads", "1", "--kernels", "scalar", "--timings"};
    assertEquals(0, Cli.run(args).exitCode(), "fills the cache");

    TrainCommand.startEarly(args);
    assertTrue(TrainCommand.earlyStartPending());
    Cli result = Cli.run(args);

    assertEquals(0, result.exitCode(), result::toString);
    assertFalse(TrainCommand.earlyStartPending());
    assertTrue(result.err().contains("model classes from the cache, loaded while the model was checked"), result::toString);
    assertTrue(result.out().contains("Epoch 1/1"), result::toString);
  }

  @Test
  void startEarlyLeavesToPicocliTheCommandLinesItCannotRead() {
    String m = model.toString();
    String[][] lines = {{"check", m}, {"train"}, {"train", "--x", x.toString()}, {"train", m, "--batch", "eight"},
        {"train", m, "--batch"}, {"train", m, "--batch", "8", "--batch=9"}, {"train", m, "--batch", "0"},
        {"train", m, "--threads", "0"}, {"train", m, "--epochs", "-1"}, {"train", m, "--kernels", "fast"},
        {"train", m, "--help"}, {"train", "-V", m}, {"train", m, dir.resolve("second.nn").toString()}};
    for (String[] line : lines) {
      TrainCommand.startEarly(line);
      assertFalse(TrainCommand.earlyStartPending(), String.join(" ", line));
    }
  }

  private static void assertWeightsEqual(Path expected, Path actual) throws Exception {
    Map<String, NpyArray> a = Npz.read(expected), b = Npz.read(actual);
    assertEquals(a.keySet(), b.keySet());
    for (String name : a.keySet()) {
      assertArrayEquals(a.get(name).data(), b.get(name).data(), name);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
