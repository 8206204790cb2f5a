package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.runtime.Npy;
import dev.nnc.runtime.NpyArray;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nnc train}'s validation, callbacks, checkpoints and resume, through the command line. */
class FitCommandTest {
  @TempDir Path dir;
  Path model;
  Path x;
  Path y;

  /** Dropout, Adam and shuffling: every piece of state a resume has to carry. */
  static final String NOISY = """
      input 2;
      dense 16 relu;
      dropout 0.25;
      dense 2 softmax;
      loss sparse_ce;
      optimizer adam(learning_rate = 0.01);
      metrics accuracy;
      train batch 32 epochs 4 seed 7;
      """;

  @BeforeEach
  void write() throws Exception {
    model = Models.write(dir, "noisy.nn", NOISY);
    x = dir.resolve("x.npy");
    y = dir.resolve("y.npy");
    SplittableRandom random = new SplittableRandom(5);
    int n = 500;
    float[] points = new float[2 * n];
    float[] labels = new float[n];
    for (int i = 0; i < n; i++) {
      int label = random.nextInt(2);
      points[2 * i] = (float) ((label == 0 ? -1 : 1) + random.nextDouble() * 2 - 1);
      points[2 * i + 1] = (float) (random.nextDouble() * 2 - 1);
      labels[i] = label;
    }
    Npy.write(x, NpyArray.ofFloats(new int[] {n, 2}, points));
    Npy.write(y, NpyArray.ofFloats(new int[] {n}, labels));
  }

  private List<String> args(String... more) {
    List<String> args = new ArrayList<>(List.of("train", model.toString(), "--x", x.toString(), "--y", y.toString()));
    args.addAll(List.of(more));
    return args;
  }

  private static Cli run(List<String> args) {
    Cli cli = Cli.run(args.toArray(String[]::new));
    assertEquals(0, cli.exitCode(), cli::toString);
    return cli;
  }

  private void assertResumeIsExact(String... options) throws Exception {
    Path straight = dir.resolve("straight.npz");
    Path resumed = dir.resolve("resumed.npz");
    Path checkpoint = dir.resolve("run.ckpt.npz");
    Path straightHistory = dir.resolve("straight.csv");
    Path resumedHistory = dir.resolve("resumed.csv");
    List<String> straightArgs = args("--epochs", "4", "--save", straight.toString(), "--history", straightHistory.toString());
    straightArgs.addAll(List.of(options));
    run(straightArgs);

    List<String> firstHalf = args("--epochs", "2", "--checkpoint", checkpoint.toString());
    firstHalf.addAll(List.of(options));
    run(firstHalf);
    List<String> secondHalf = args("--epochs", "4", "--resume", checkpoint.toString(), "--save", resumed.toString(),
        "--history", resumedHistory.toString());
    secondHalf.addAll(List.of(options));
    Cli second = run(secondHalf);

    assertTrue(second.out().startsWith("Epoch 3/4\n") || second.out().contains("\nEpoch 3/4\n"), second::toString);
    assertFalse(second.out().contains("Epoch 1/4"), second::toString);
    assertArrayEquals(Files.readAllBytes(straight), Files.readAllBytes(resumed), "bit-identical weights");
    assertEquals(Files.readString(straightHistory), Files.readString(resumedHistory), "the same history, all 4 epochs");
  }

  @Test
  void twoEpochsThenResumedToFourGiveTheWeightsOfFourStraight() throws Exception {
    assertResumeIsExact();
  }

  @Test
  void resumeIsExactWithValidationSplitAndTheCallbacks() throws Exception {
    assertResumeIsExact("--validation-split", "0.2", "--early-stopping", "10", "--reduce-lr-on-plateau", "1",
        "--lr-factor", "0.5");
  }

  @Test
  void resumeIsExactWithALearningRateSchedule() throws Exception {
    assertResumeIsExact("--lr-schedule", "cosine_decay(decay_steps=40, alpha=0.1, warmup_target=0.02, warmup_steps=10)");
  }

  @Test
  void aResumedRunIsNotTheSameAsAFreshOneOfTwoEpochs() throws Exception {
    // Guards the test above: resuming must continue the run, not start again.
    Path fresh = dir.resolve("fresh.npz");
    Path resumed = dir.resolve("resumed.npz");
    Path checkpoint = dir.resolve("c.npz");
    run(args("--epochs", "2", "--save", fresh.toString()));
    run(args("--epochs", "2", "--checkpoint", checkpoint.toString()));
    run(args("--epochs", "4", "--resume", checkpoint.toString(), "--save", resumed.toString()));
    assertFalse(java.util.Arrays.equals(Files.readAllBytes(fresh), Files.readAllBytes(resumed)));
  }

  @Test
  void validationSplitIsNamedAndGivesValColumns() throws Exception {
    Path history = dir.resolve("h.csv");
    Cli cli = run(args("--epochs", "2", "--validation-split", "0.1", "--history", history.toString()));
    assertTrue(cli.out().startsWith("val_* from the last 50 of 500 training samples (validation_split 0.1), not trained on\n"),
        cli::toString);
    assertTrue(cli.out().contains("\n15/15 "), "450 samples train, in 14 batches of 32 and one of 2: " + cli);
    assertTrue(Files.readString(history).startsWith("epoch,accuracy,loss,val_accuracy,val_loss\r\n"));
  }

  @Test
  void earlyStoppingPrintsKerasLinesAndTheBestEpochIsSaved() throws Exception {
    // Patience 0 on the training loss of a learning rate far too high for it: it stops at the first epoch that is worse.
    Path best = dir.resolve("best.npz");
    Cli cli = run(args("--epochs", "30", "--early-stopping", "0", "--monitor", "loss", "--save-best", best.toString(),
        "--lr-schedule", "piecewise_constant_decay(boundaries=[31], values=[0.01, 5.0])"));
    assertTrue(cli.out().contains("Epoch 1: loss improved from inf to "), cli::toString);
    String[] lines = cli.out().split("\n");
    int stop = -1;
    for (int i = 0; i < lines.length; i++) if (lines[i].matches("Epoch \\d+: early stopping")) stop = i;
    assertTrue(stop > 0, cli::toString);
    assertTrue(lines[stop + 1].matches("Restoring model weights from the end of the best epoch: \\d+\\."), cli::toString);
    assertTrue(Files.exists(best));
  }

  @Test
  void badValuesAreUsageErrorsNamingTheFlag() {
    Cli split = Cli.run(args("--validation-split", "1.5").toArray(String[]::new));
    assertEquals(2, split.exitCode(), split::toString);
    assertTrue(split.err().contains("--validation-split must be at least 0 and below 1, not 1.5"), split::toString);
    Cli schedule = Cli.run(args("--lr-schedule", "linear(decay_steps=3)").toArray(String[]::new));
    assertEquals(2, schedule.exitCode(), schedule::toString);
    assertTrue(schedule.err().contains("--lr-schedule 'linear(decay_steps=3)': unknown schedule 'linear'"), schedule::toString);
    Cli monitor = Cli.run(args("--early-stopping", "2").toArray(String[]::new));
    assertEquals(0, monitor.exitCode(), "without validation data, loss is watched: " + monitor);
    Cli needsValidation = Cli.run(args("--early-stopping", "2", "--monitor", "val_loss").toArray(String[]::new));
    assertEquals(2, needsValidation.exitCode(), needsValidation::toString);
    assertTrue(needsValidation.err().contains("--monitor val_loss needs validation data"), needsValidation::toString);
    Path c = dir.resolve("c.npz");
    Cli same = Cli.run(args("--checkpoint", c.toString(), "--save-best", c.toString()).toArray(String[]::new));
    assertEquals(2, same.exitCode(), same::toString);
    assertTrue(same.err().contains("--checkpoint and --save-best name the same file, " + c), same::toString);
    assertFalse(split.showsStackTrace() || schedule.showsStackTrace() || needsValidation.showsStackTrace());
  }

  @Test
  void aCheckpointOfAnotherModelIsAnInputError() throws Exception {
    Path checkpoint = dir.resolve("c.npz");
    run(args("--epochs", "1", "--checkpoint", checkpoint.toString()));
    Path other = Models.write(dir, "other.nn", NOISY.replace("dense 16", "dense 8"));
    Cli cli = Cli.run("train", other.toString(), "--x", x.toString(), "--y", y.toString(), "--resume", checkpoint.toString());
    assertEquals(1, cli.exitCode(), cli::toString);
    assertTrue(cli.err().contains(checkpoint + ": array 'dense_1/kernel' is float32 of shape [2, 16]; a checkpoint of this run needs float32 of shape [2, 8]"), cli::toString);
    assertFalse(cli.showsStackTrace(), cli::toString);
  }

  @Test
  void interruptedTrainingStopsAfterTheStepAndSavesWhatWasAsked() throws Exception {
    Path wide = Models.write(dir, "wide.nn", "input 2; dense 2000 relu; dense 2 softmax; loss sparse_ce; optimizer sgd;"
        + " train batch 1 epochs 1000;");
    Path weights = dir.resolve("w.npz");
    Path history = dir.resolve("h.csv");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-Dnnc.cache=" + dir.resolve("cache"), "-cp",
        System.getProperty("java.class.path") + File.pathSeparator, "dev.nnc.cli.NncCommand",
        "train", wide.toString(), "--x", x.toString(), "--y", y.toString(), "--save", weights.toString(),
        "--history", history.toString()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    List<String> seen = new ArrayList<>();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        seen.add(line);
        if (line.startsWith("Epoch 3/")) {
          // SIGTERM: the JVM runs its shutdown hooks, as on Ctrl-C's SIGINT (which a test's process may have ignored)
          new ProcessBuilder("kill", "-TERM", String.valueOf(p.pid())).start().waitFor();
        }
      }
    }
    int exit = p.waitFor();
    String all = String.join("\n", seen);
    assertNotEquals(0, exit, all);
    assertTrue(all.contains("Interrupted at epoch 3, step "), all);
    assertTrue(all.contains("Interrupted: weights saved to " + weights + "; history of the finished epochs in " + history),
        all);
    assertTrue(Files.exists(weights), all);
    List<String> rows = Files.readAllLines(history);
    assertEquals(3, rows.size(), "a header and the two finished epochs: " + rows);
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(), files.filter(f -> f.toString().endsWith(".nnc-tmp")).toList());
    }
  }
}
