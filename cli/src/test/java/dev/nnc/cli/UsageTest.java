package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit code 2 and a short message for bad usage; help and version. */
class UsageTest {

  @TempDir
  Path dir;

  private static void assertUsageError(Cli result, String expectedStart) {
    assertEquals(2, result.exitCode(), result::toString);
    assertEquals("", result.out(), result::toString);
    assertTrue(result.err().startsWith(expectedStart), result::toString);
    assertTrue(result.err().contains("Try 'nnc"), result::toString);
    assertFalse(result.showsStackTrace(), result::toString);
  }

  @Test
  void noCommand() {
    assertUsageError(Cli.run(), "nnc: Missing command");
  }

  @Test
  void unknownCommandSuggestsTheNearestOne() {
    Cli result = Cli.run("comple", "x.nn");
    assertUsageError(result, "nnc: Unmatched argument");
    assertTrue(result.err().contains("nnc compile"), result::toString);
  }

  @Test
  void unknownOption() {
    assertUsageError(Cli.run("check", "--frobnicate", "x.nn"), "nnc check: Unknown option: '--frobnicate'");
  }

  @Test
  void missingFile() {
    assertUsageError(Cli.run("compile", "-d", "out"), "nnc compile: Missing required parameter: 'FILE.nn'");
  }

  @Test
  void xWithoutY() throws Exception {
    Path model = Models.write(dir, "blobs.nn", Models.BLOBS);
    assertUsageError(Cli.run("train", model.toString(), "--x", "x.npy"), "nnc train: --x needs --y too");
    assertUsageError(Cli.run("train", model.toString(), "--test-y", "y.npy"), "nnc train: --test-y needs --test-x too");
  }

  @Test
  void dataAndNumpyFilesTogether() throws Exception {
    Path model = Models.write(dir, "blobs.nn", Models.BLOBS);
    assertUsageError(Cli.run("train", model.toString(), "--data", "mnist", "--x", "x.npy", "--y", "y.npy"),
        "nnc train: --data and --x/--y are alternatives");
  }

  @Test
  void batchOfZeroAndNegativeEpochs() throws Exception {
    Path model = Models.write(dir, "blobs.nn", Models.BLOBS);
    assertUsageError(Cli.run("train", model.toString(), "--batch", "0"), "nnc train: --batch must be at least 1, not 0");
    assertUsageError(Cli.run("train", model.toString(), "--epochs", "-1"), "nnc train: --epochs must be 0 or more, not -1");
    assertUsageError(Cli.run("train", model.toString(), "--batch", "many"), "nnc train: Invalid value for option '--batch'");
  }

  @Test
  void evalNeedsWeights() throws Exception {
    Path model = Models.write(dir, "blobs.nn", Models.BLOBS);
    assertUsageError(Cli.run("eval", model.toString()), "nnc eval: Missing required option: '--weights=W.npz'");
  }

  @Test
  void helpListsCommandsAndExitCodes() {
    Cli result = Cli.run("--help");

    assertEquals(0, result.exitCode(), result::toString);
    for (String command : new String[] {"compile", "check", "summary", "train", "eval", "predict", "help"}) {
      assertTrue(result.out().contains("\n  " + command + " "), () -> command + " missing:\n" + result.out());
    }
    assertTrue(result.out().contains("Exit codes:"), result::toString);
  }

  @Test
  void subcommandHelp() {
    Cli result = Cli.run("train", "--help");

    assertEquals(0, result.exitCode(), result::toString);
    assertTrue(result.out().startsWith("Usage: nnc train FILE.nn [--data DIR | --x X.npy --y Y.npy]"), result::toString);
  }

  @Test
  void helpCommandShowsASubcommandsHelp() {
    // the command line then holds every subcommand, not only the one its first word names
    Cli result = Cli.run("help", "train");

    assertEquals(0, result.exitCode(), result::toString);
    assertTrue(result.out().startsWith("Usage: nnc train FILE.nn"), result::toString);
  }

  @Test
  void versionIsTheProjectVersion() {
    Cli result = Cli.run("--version");

    assertEquals(0, result.exitCode(), result::toString);
    assertTrue(result.out().matches("(?s)nnc \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R.*"), result::toString);
  }

  @Test
  void withoutNncsHandlersTheExitCodesAndMessagesAreTheSame() throws Exception {
    Path bad = Models.write(dir, "bad.nn", Models.MISSPELLED_ACTIVATION);

    Cli checked = Cli.runBare("check", bad.toString());
    Cli missing = Cli.runBare("train", dir.resolve("nope.nn").toString());
    Cli usage = Cli.runBare("train", bad.toString(), "--batch", "0");

    assertEquals(1, checked.exitCode(), checked::toString);
    assertTrue(checked.err().startsWith(bad + ":2:"), checked::toString);
    assertEquals(1, missing.exitCode(), missing::toString);
    assertEquals("nnc: error: " + dir.resolve("nope.nn") + ": no such file or folder\n", missing.err());
    assertEquals(2, usage.exitCode(), usage::toString);
    assertFalse(checked.showsStackTrace() || missing.showsStackTrace() || usage.showsStackTrace());
  }
}
