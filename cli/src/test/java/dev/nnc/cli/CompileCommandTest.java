package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.compiler.NncCompiler;
import dev.nnc.compiler.diag.SourceFile;
import dev.nnc.runtime.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompileCommandTest {

  @TempDir
  Path dir;

  @Test
  void writesTheModelClassIntoItsPackageFolderAndItCompiles() throws Exception {
    Path source = Models.write(dir, "mnist.nn", Models.MNIST);
    Path out = dir.resolve("gen");

    Cli result = Cli.run("compile", "-d", out.toString(), "-p", "demo.models", source.toString());

    assertEquals(0, result.exitCode(), result::toString);
    assertEquals("", result.out() + result.err());
    Path java = out.resolve("demo/models/MnistModel.java");
    assertTrue(Files.isRegularFile(java), "no " + java);
    try (Stream<Path> files = Files.list(java.getParent())) {
      assertEquals(1, files.count(), "a temporary file was left behind");
    }

    Class<?> compiled = InMemoryCompiler.forRuntime().compileAndLoad("demo.models.MnistModel", Files.readString(java));
    Model model = (Model) compiled.getConstructor().newInstance();
    assertEquals("Mnist", model.name());
    assertEquals(784, model.inputSize());
    assertEquals(10, model.outputSize());
    assertEquals(407_050, model.parameterCount());
  }

  @Test
  void withoutOptionsWritesIntoTheCurrentFolderWithoutAPackage() throws Exception {
    Path source = Models.write(dir, "mnist.nn", Models.MNIST);
    String cwd = System.getProperty("user.dir");
    Path expected = Path.of(cwd, "MnistModel.java");
    // Only check the default when it cannot clobber anything.
    org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(expected));
    try {
      Cli result = Cli.run("compile", source.toString());
      assertEquals(0, result.exitCode(), result::toString);
      assertTrue(Files.readString(expected).contains("class MnistModel"));
    } finally {
      Files.deleteIfExists(expected);
    }
  }

  @Test
  void leavesAnUnchangedFileAlone() throws Exception {
    Path source = Models.write(dir, "mnist.nn", Models.MNIST);
    Path out = dir.resolve("gen");
    assertEquals(0, Cli.run("compile", "-d", out.toString(), source.toString()).exitCode());
    Path java = out.resolve("MnistModel.java");
    FileTime longAgo = FileTime.fromMillis(1_000_000_000_000L);
    Files.setLastModifiedTime(java, longAgo);

    assertEquals(0, Cli.run("compile", "-d", out.toString(), source.toString()).exitCode());

    assertEquals(longAgo, Files.getLastModifiedTime(java));
  }

  @Test
  void replacesAFileWhoseContentChanged() throws Exception {
    Path source = Models.write(dir, "mnist.nn", Models.MNIST);
    Path java = Models.write(dir, "gen/MnistModel.java", "// stale\n");

    assertEquals(0, Cli.run("compile", "-d", dir.resolve("gen").toString(), source.toString()).exitCode());

    assertTrue(Files.readString(java).contains("class MnistModel"));
  }

  @Test
  void anErrorInOneFileMeansNothingIsWritten() throws Exception {
    Path good = Models.write(dir, "mnist.nn", Models.MNIST);
    Path bad = Models.write(dir, "bad.nn", Models.MISSPELLED_ACTIVATION);
    Path out = dir.resolve("gen");

    Cli result = Cli.run("compile", "-d", out.toString(), good.toString(), bad.toString());

    assertEquals(1, result.exitCode(), result::toString);
    assertFalse(Files.exists(out), "wrote output although a file had errors");
    assertEquals("", result.out());
    String expected = NncCompiler.check(SourceFile.read(bad)).renderDiagnostics() + System.lineSeparator();
    assertEquals(expected, result.err());
    assertTrue(result.err().startsWith(bad + ":2:"), result::toString);
    assertTrue(result.err().contains(": error: "), result::toString);
    assertFalse(result.showsStackTrace(), result::toString);
  }

  @Test
  void aMissingFileIsAnInputErrorAndNothingIsWritten() throws Exception {
    Path good = Models.write(dir, "mnist.nn", Models.MNIST);
    Path missing = dir.resolve("nope.nn");
    Path out = dir.resolve("gen");

    Cli result = Cli.run("compile", "-d", out.toString(), good.toString(), missing.toString());

    assertEquals(1, result.exitCode(), result::toString);
    assertEquals("nnc: error: " + missing + ": no such file or folder\n", result.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void twoFilesDefiningTheSameClassAreAnError() throws Exception {
    Path one = Models.write(dir, "a/mnist.nn", Models.MNIST);
    Path two = Models.write(dir, "b/mnist.nn", Models.MNIST);

    Cli result = Cli.run("compile", "-d", dir.resolve("gen").toString(), one.toString(), two.toString());

    assertEquals(1, result.exitCode(), result::toString);
    assertTrue(result.err().contains("both define MnistModel"), result::toString);
    assertFalse(Files.exists(dir.resolve("gen")));
  }

  @Test
  void anOutputFolderThatIsAFileIsAnInputError() throws Exception {
    Path source = Models.write(dir, "mnist.nn", Models.MNIST);
    Path blocker = Models.write(dir, "gen", "not a folder");

    Cli result = Cli.run("compile", "-d", blocker.toString(), "-p", "demo", source.toString());

    assertEquals(1, result.exitCode(), result::toString);
    assertTrue(result.err().startsWith("nnc: error: cannot write " + blocker.resolve("demo/MnistModel.java")),
        result::toString);
    assertFalse(result.showsStackTrace(), result::toString);
  }

  @Test
  void anInvalidPackageIsBadUsage() throws Exception {
    Path source = Models.write(dir, "mnist.nn", Models.MNIST);

    Cli result = Cli.run("compile", "-p", "my-models", source.toString());

    assertEquals(2, result.exitCode(), result::toString);
    assertTrue(result.err().startsWith("nnc compile: Invalid value for option '--package': 'my-models'"), result::toString);
  }
}
