package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.compiler.NncCompiler;
import dev.nnc.compiler.diag.SourceFile;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckCommandTest {

  @TempDir
  Path dir;

  @Test
  void isSilentWhenEveryFileIsFine() throws Exception {
    Path one = Models.write(dir, "mnist.nn", Models.MNIST);
    Path two = Models.write(dir, "blobs.nn", Models.BLOBS);

    Cli result = Cli.run("check", one.toString(), two.toString());

    assertEquals(0, result.exitCode(), result::toString);
    assertEquals("", result.out() + result.err());
  }

  @Test
  void reportsEveryProblemInEveryFile() throws Exception {
    Path bad = Models.write(dir, "bad.nn", Models.MISSPELLED_ACTIVATION);
    Path good = Models.write(dir, "mnist.nn", Models.MNIST);
    Path alsoBad = Models.write(dir, "worse.nn", """
        dense 10 softmaks;
        loss sparse_ce;
        """);

    Cli result = Cli.run("check", bad.toString(), good.toString(), alsoBad.toString());

    assertEquals(1, result.exitCode(), result::toString);
    assertEquals("", result.out());
    String nl = System.lineSeparator();
    String expected = NncCompiler.check(SourceFile.read(bad)).renderDiagnostics() + nl
        + NncCompiler.check(SourceFile.read(alsoBad)).renderDiagnostics() + nl;
    assertEquals(expected, result.err());
    assertTrue(result.err().contains(bad + ":2:"), result::toString);
    assertTrue(result.err().contains(alsoBad + ":"), result::toString);
    assertFalse(result.showsStackTrace(), result::toString);
  }

  @Test
  void aMissingSemicolonIsShownAfterTheStatementAndTheKerasKeywordFormChecks() throws Exception {
    Path keywords = Models.write(dir, "keywords.nn", Models.MNIST.replace("dense 512 relu;", "dense 512 (activation = relu);"));
    Cli fine = Cli.run("check", keywords.toString());
    assertEquals(0, fine.exitCode(), fine::toString);

    Path missing = Models.write(dir, "missing.nn", Models.MNIST.replace("dense 512 relu;", "dense 512 relu"));
    Cli result = Cli.run("check", missing.toString());
    assertEquals(1, result.exitCode(), result::toString);
    String nl = System.lineSeparator();
    assertEquals(missing + ":2:15: error: ';' expected [syntax-error]" + nl + "dense 512 relu" + nl
        + "              ^" + nl, result.err());
    assertFalse(result.showsStackTrace(), result::toString);

    Path both = Models.write(dir, "both.nn", Models.MNIST.replace("dense 512 relu;", "dense 512 relu (activation = tanh);"));
    Cli twice = Cli.run("check", both.toString());
    assertEquals(1, twice.exitCode(), twice::toString);
    assertTrue(twice.err().startsWith(both + ":2:17: error: duplicate option 'activation' (already given as 'relu'"
        + " after the units); give it once [duplicate-argument]"), twice::toString);
  }

  @Test
  void anUnreadableFileDoesNotStopTheOthersBeingChecked() throws Exception {
    Path missing = dir.resolve("missing.nn");
    Path bad = Models.write(dir, "bad.nn", Models.MISSPELLED_ACTIVATION);

    Cli result = Cli.run("check", missing.toString(), bad.toString(), dir.toString());

    assertEquals(1, result.exitCode(), result::toString);
    assertTrue(result.err().startsWith("nnc: error: " + missing + ": no such file or folder\n"), result::toString);
    assertTrue(result.err().contains(bad + ":2:"), result::toString);
    assertTrue(result.err().endsWith("nnc: error: " + dir + ": is a folder, not a model file\n"), result::toString);
  }

  @Test
  void garbageIsReportedNotThrown() throws Exception {
    Path garbage = Models.write(dir, "garbage.nn", "}}} model { dense dense ;;; 1e999x (((\u0000\n");

    Cli result = Cli.run("check", garbage.toString());

    assertEquals(1, result.exitCode(), result::toString);
    assertTrue(result.err().startsWith(garbage + ":1:"), result::toString);
    assertFalse(result.showsStackTrace(), result::toString);
  }
}
