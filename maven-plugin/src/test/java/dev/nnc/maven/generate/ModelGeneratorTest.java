package dev.nnc.maven.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.maven.generate.GenerateResult.Outcome;
import dev.nnc.compiler.Kernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelGeneratorTest {
  private static final String SMALL = "input 4;\ndense 8 relu;\ndense 3 softmax;\nloss sparse_ce;\n";
  private static final String MISSPELLED_AT_LINE_2 = "input 4;\ndense 8 rleu;\ndense 3 softmax;\nloss sparse_ce;\n";
  /** A time no build writes, to see whether a file was rewritten. */
  private static final FileTime LONG_AGO = FileTime.from(Instant.parse("2001-01-01T00:00:00Z"));

  @TempDir Path project;

  private final ModelGenerator generator = new ModelGenerator();
  private Optional<String> packageName = Optional.empty();
  private List<String> includes = List.of();
  private List<String> excludes = List.of();
  private String version = "1.0";

  @Test
  void generatesOneClassPerModelInItsFoldersPackage() throws IOException {
    model("com/acme/iris.nn", SMALL);
    model("com/acme/xor/xor.nn", SMALL);

    GenerateResult result = generate();

    assertFalse(result.failed(), () -> String.join("\n", result.errors()));
    assertEquals(2, result.count(Outcome.WRITTEN));
    assertTrue(Files.readString(output("com/acme/IrisModel.java")).contains("package com.acme;"));
    assertTrue(Files.readString(output("com/acme/xor/XorModel.java")).contains("package com.acme.xor;"));
  }

  @Test
  void unchangedModelIsNotRecompiledAndItsClassNotRewritten() throws IOException {
    model("demo/iris.nn", SMALL);
    generate();
    Files.setLastModifiedTime(output("demo/IrisModel.java"), LONG_AGO);
    Files.setLastModifiedTime(stateFile(), LONG_AGO);

    GenerateResult again = generate();

    assertEquals(1, again.count(Outcome.UP_TO_DATE));
    assertEquals(LONG_AGO, Files.getLastModifiedTime(output("demo/IrisModel.java")));
    assertEquals(LONG_AGO, Files.getLastModifiedTime(stateFile()), "nothing changed, so neither did the state");
  }

  @Test
  void changedModelIsRegenerated() throws IOException {
    model("demo/iris.nn", SMALL);
    generate();
    String before = Files.readString(output("demo/IrisModel.java"));

    model("demo/iris.nn", SMALL.replace("dense 8", "dense 16"));
    GenerateResult again = generate();

    assertEquals(1, again.count(Outcome.WRITTEN));
    assertNotEquals(before, Files.readString(output("demo/IrisModel.java")));
  }

  @Test
  void newNncVersionRecompilesEveryModelButRewritesOnlyWhatDiffers() throws IOException {
    model("demo/iris.nn", SMALL);
    generate();
    Files.setLastModifiedTime(output("demo/IrisModel.java"), LONG_AGO);

    version = "1.1";
    GenerateResult again = generate();

    assertEquals(1, again.count(Outcome.UNCHANGED), "recompiled, same text");
    assertEquals(LONG_AGO, Files.getLastModifiedTime(output("demo/IrisModel.java")));
  }

  @Test
  void editedOrDeletedOutputIsRegenerated() throws IOException {
    model("demo/iris.nn", SMALL);
    generate();
    String original = Files.readString(output("demo/IrisModel.java"));

    Files.writeString(output("demo/IrisModel.java"), "// edited by hand");
    assertEquals(1, generate().count(Outcome.WRITTEN));
    assertEquals(original, Files.readString(output("demo/IrisModel.java")));

    Files.delete(output("demo/IrisModel.java"));
    assertEquals(1, generate().count(Outcome.WRITTEN));
    assertTrue(Files.exists(output("demo/IrisModel.java")));
  }

  @Test
  void deletedModelsClassIsRemovedWithItsEmptyPackageFolders() throws IOException {
    model("demo/iris.nn", SMALL);
    model("other/xor.nn", SMALL);
    generate();

    Files.delete(source("other/xor.nn"));
    GenerateResult again = generate();

    assertEquals(List.of(output("other/XorModel.java")), again.removed());
    assertFalse(Files.exists(output("other")), "the empty package folder goes too");
    assertTrue(Files.exists(output("demo/IrisModel.java")));
    assertEquals(1, again.count(Outcome.UP_TO_DATE));
  }

  @Test
  void renamedModelLeavesOnlyTheNewClass() throws IOException {
    model("demo/iris.nn", SMALL);
    generate();

    Files.move(source("demo/iris.nn"), source("demo/flower.nn"));
    generate();

    assertFalse(Files.exists(output("demo/IrisModel.java")));
    assertTrue(Files.exists(output("demo/FlowerModel.java")));
  }

  @Test
  void badModelReportsEachProblemAsFileLineColumnAndWritesNothing() throws IOException {
    model("demo/bad.nn", MISSPELLED_AT_LINE_2);
    model("demo/good.nn", SMALL);

    GenerateResult result = generate();

    assertTrue(result.failed());
    assertEquals(1, result.errors().size(), () -> String.join("\n", result.errors()));
    String error = result.errors().get(0);
    assertTrue(error.startsWith(source("demo/bad.nn") + ":2:"), error);
    assertTrue(error.contains(": error: "), error);
    assertFalse(Files.exists(output("demo/BadModel.java")));
    assertTrue(Files.exists(output("demo/GoodModel.java")), "other models are still generated");
  }

  @Test
  void brokenEditKeepsTheLastGoodClassUntilTheModelIsFixedOrDeleted() throws IOException {
    model("demo/iris.nn", SMALL);
    generate();

    model("demo/iris.nn", MISSPELLED_AT_LINE_2);
    assertTrue(generate().failed());
    assertTrue(Files.exists(output("demo/IrisModel.java")));
    assertTrue(generate().failed(), "a failed model is compiled again next time, and fails again");

    Files.delete(source("demo/iris.nn"));
    GenerateResult afterDelete = generate();
    assertFalse(afterDelete.failed());
    assertFalse(Files.exists(output("demo/IrisModel.java")));
  }

  @Test
  void includesAndExcludesSelectTheModels() throws IOException {
    model("top.nn", SMALL);
    model("demo/iris.nn", SMALL);
    model("drafts/wip.nn", MISSPELLED_AT_LINE_2);
    model("demo/notes.txt", "not a model");
    packageName = Optional.of("org.acme");
    excludes = List.of("drafts/**");

    GenerateResult result = generate();

    assertFalse(result.failed(), () -> String.join("\n", result.errors()));
    assertEquals(2, result.models().size());
    assertTrue(Files.exists(output("org/acme/TopModel.java")));
    assertTrue(Files.exists(output("org/acme/IrisModel.java")));

    includes = List.of("demo/*.nn");
    excludes = List.of();
    generate();
    assertFalse(Files.exists(output("org/acme/TopModel.java")), "no longer included, so stale");
  }

  @Test
  void packageNameMustBeAJavaPackage() throws IOException {
    model("iris.nn", SMALL);
    packageName = Optional.of("com.acme.class");

    GenerateResult result = generate();

    assertTrue(result.failed());
    assertTrue(result.errors().get(0).contains("'com.acme.class' is not a Java package name"), result.errors().get(0));
  }

  @Test
  void theJdksPackagesAreRefused() throws IOException {
    model("iris.nn", SMALL);
    for (String reserved : List.of("java.lang", "java.acme", "javax.swing")) {
      packageName = Optional.of(reserved);

      GenerateResult result = generate();

      assertTrue(result.failed(), reserved);
      assertTrue(result.errors().get(0).contains("'" + reserved + "' is"), result.errors().get(0));
    }
  }

  @Test
  void aFileThatIsNotUtf8IsRefusedAsTheCliRefusesIt() throws IOException {
    model("demo/iris.nn", "");
    Files.write(source("demo/iris.nn"), "input 4; # caf\u00e9\ndense 3 softmax; loss sparse_ce;".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

    GenerateResult result = generate();

    assertTrue(result.failed());
    assertTrue(result.errors().get(0).endsWith("iris.nn:1:15: not UTF-8 text: byte 0xE9 (save the file as UTF-8)"), result.errors().get(0));
  }

  /**
   * A file name with tabs and a line end forged a state entry whose output, a file outside the
   * output folder, the next build deleted.
   */
  @Test
  void aPathWithControlCharactersIsRefusedAndNothingOutsideTheOutputFolderIsDeleted() throws IOException {
    Path victim = Files.writeString(project.resolve("victim.txt"), "precious");
    model("demo/evil\t-\tvictim.txt\tx\nz.nn", SMALL);
    model("demo/iris.nn", SMALL);

    GenerateResult first = generate();
    Files.delete(source("demo/evil\t-\tvictim.txt\tx\nz.nn"));
    GenerateResult second = generate();

    assertTrue(first.failed());
    assertTrue(first.errors().get(0).contains("the path holds a control character"), first.errors().get(0));
    assertFalse(second.failed(), () -> String.join("\n", second.errors()));
    assertEquals("precious", Files.readString(victim));
  }

  @Test
  void aBackslashInAFileNameIsNoFolder() throws IOException {
    org.junit.jupiter.api.Assumptions.assumeTrue(java.io.File.separatorChar == '/', "a backslash separates folders here");
    model("demo/sub\\iris.nn", SMALL);

    GenerateResult result = generate();

    assertFalse(result.failed(), () -> String.join("\n", result.errors()));
    assertTrue(Files.readString(output("demo/SubIrisModel.java")).contains("package demo;"));
  }

  @Test
  void folderThatIsNoPackageIsReportedWithTheModel() throws IOException {
    model("my-models/iris.nn", SMALL);

    GenerateResult result = generate();

    assertTrue(result.failed());
    assertTrue(result.errors().get(0).startsWith(source("my-models/iris.nn") + ": error: its folder 'my-models'"),
        result.errors().get(0));
  }

  @Test
  void topLevelModelGoesToTheDefaultPackageWithAWarning() throws IOException {
    model("iris.nn", SMALL);

    GenerateResult result = generate();

    assertFalse(result.failed());
    assertTrue(Files.exists(output("IrisModel.java")));
    assertTrue(result.warnings().stream().anyMatch(w -> w.contains("default package")), result.warnings()::toString);
  }

  @Test
  void twoModelsForOneClassAreAnError() throws IOException {
    model("a/iris.nn", SMALL);
    model("b/iris.nn", SMALL);
    packageName = Optional.of("demo");

    GenerateResult result = generate();

    assertTrue(result.failed());
    assertTrue(result.errors().get(0).startsWith(source("b/iris.nn") + ": error: generates "), result.errors().get(0));
  }

  @Test
  void missingSourceFolderIsNoModels() throws IOException {
    GenerateResult result = generate();

    assertFalse(result.failed());
    assertTrue(result.models().isEmpty());
  }

  @Test
  void changedPackageSettingMovesTheClasses() throws IOException {
    model("demo/iris.nn", SMALL);
    generate();

    packageName = Optional.of("org.acme");
    generate();

    assertTrue(Files.exists(output("org/acme/IrisModel.java")));
    assertFalse(Files.exists(output("demo")));
  }

  // ---------------------------------------------------------------- helpers

  private GenerateResult generate() throws IOException {
    return generator.generate(new GenerateRequest(
        project, Path.of("src/main/nn"), Path.of("target/generated-sources/nnc"), Path.of("target/nnc/default.state"),
        packageName, includes, excludes, version, Kernels.SCALAR));
  }

  private void model(String relativePath, String text) throws IOException {
    Path file = source(relativePath);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private Path source(String relativePath) {
    return project.resolve("src/main/nn").resolve(relativePath).toAbsolutePath().normalize();
  }

  private Path output(String relativePath) {
    return project.resolve("target/generated-sources/nnc").resolve(relativePath).toAbsolutePath().normalize();
  }

  private Path stateFile() {
    return project.resolve("target/nnc/default.state");
  }
}
