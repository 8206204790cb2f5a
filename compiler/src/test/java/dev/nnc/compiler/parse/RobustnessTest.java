package dev.nnc.compiler.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.compiler.check.CheckResult;
import dev.nnc.compiler.check.ModelChecker;
import dev.nnc.compiler.diag.Diagnostic;
import dev.nnc.compiler.diag.SourceFile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** No input, however malformed, makes the front end throw; every problem is a positioned diagnostic. */
class RobustnessTest {
  private static final List<String> TOKENS = List.of(
      "model", "M", "{", "}", "input", "28x28", "dense", "10", "relu", "activation", "dropout", "0.5", "flatten",
      "loss", "sparse_ce", "optimizer", "adam", "(", ")", "=", ",", ";", "metrics", "train", "batch", "-1", "1e999",
      "99999999999", "#", "\n", "@", "x", "lr", "true", ".");

  /** Parses and checks; asserts every diagnostic is well-formed and (the first hundred) render. */
  private static CheckResult checkSafely(String text) {
    SourceFile source = SourceFile.of("fuzz.nn", text);
    CheckResult result = assertTimeoutPreemptively(Duration.ofSeconds(20),
        () -> ModelChecker.check(ModelParser.parse(source), source));
    for (Diagnostic d : result.diagnostics()) {
      assertTrue(d.line() >= 1 && d.column() >= 1, d.headline());
      assertTrue(d.id().matches("[a-z-]+"), d.headline());
    }
    result.diagnostics().stream().limit(100).forEach(d -> d.render(source));
    return result;
  }

  @Test
  void emptyAndBlankFiles() {
    for (String text : List.of("", " ", "\n\n", "# only a comment", ";;;")) {
      CheckResult result = checkSafely(text);
      assertEquals(List.of("missing-input", "missing-loss"), result.diagnostics().stream().map(Diagnostic::id).toList());
    }
  }

  @Test
  void randomBytes() {
    Random random = new Random(1);
    for (int i = 0; i < 200; i++) {
      byte[] bytes = new byte[random.nextInt(2000)];
      random.nextBytes(bytes);
      checkSafely(new String(bytes, i % 2 == 0 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1));
    }
  }

  @Test
  void randomTokenSoups() {
    Random random = new Random(2);
    for (int i = 0; i < 500; i++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(300);
      for (int t = 0; t < length; t++) text.append(TOKENS.get(random.nextInt(TOKENS.size()))).append(' ');
      checkSafely(text.toString());
    }
  }

  @Test
  void deeplyNestedBracesAndParentheses() {
    int n = 100_000;
    for (String text : List.of("{".repeat(n), "}".repeat(n), "model M " + "{".repeat(n) + "}".repeat(n),
        "optimizer adam" + "(".repeat(n) + ")".repeat(n) + ";", "model M { dense 1 " + "(".repeat(n))) {
      CheckResult result = checkSafely(text);
      assertFalse(result.diagnostics().isEmpty());
      assertTrue(result.diagnostics().size() < 10, "errors are reported once per run, not per token");
    }
  }

  @Test
  void manyBrokenStatementsAreEachReportedOnce() {
    CheckResult result = checkSafely("input 3;\n" + "dense 1 (;\n".repeat(10_000) + "loss mse;");
    assertEquals(1000 + 1, result.diagnostics().size(), "the first 1000 broken statements, then that parsing stopped");
    assertEquals("too many syntax errors (1000); nnc stopped reading the file here", result.diagnostics().get(1000).message());
  }

  @Test
  void hugeValidInputIsFine() {
    StringBuilder text = new StringBuilder("input 4;\n");
    for (int i = 0; i < 20_000; i++) text.append("dense 4 relu;\n");
    text.append("loss mse;\n");
    CheckResult result = checkSafely(text.toString());
    assertEquals(List.of("too-many-layers"), result.diagnostics().stream().map(d -> d.id()).toList(),
        "the layers past the 100th are reported once, not each");
  }

  @Test
  void hugeNamesAndNumbers() {
    checkSafely("dense " + "9".repeat(100_000) + " " + "r".repeat(100_000) + ";");
    checkSafely("input " + "1x".repeat(50_000) + "1;");
  }
}
