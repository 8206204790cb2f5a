package dev.nnc.compiler.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.compiler.Compilation;
import dev.nnc.compiler.NncCompiler;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What diagnostics print stays bounded and shows every character for what it is. */
class RenderingTest {
  @Test
  void aLongLineIsCutAroundTheCaret() {
    String line = "input 4; " + "dense 1 (;".repeat(10_000);
    Compilation c = NncCompiler.check(SourceFile.of("m.nn", line));
    String rendered = c.renderDiagnostics();
    assertTrue(rendered.length() < 100 * 400, "bounded: " + rendered.length() + " characters");
    String[] lines = c.diagnostics().get(50).render(c.source()).split(System.lineSeparator());
    assertEquals(3, lines.length);
    assertTrue(lines[1].startsWith("...") && lines[1].endsWith("..."), lines[1]);
    assertEquals(lines[2].length() - 1, lines[1].indexOf("(;", 60) + 1, "the caret is under the ';' it reports");
  }

  @Test
  void atMost100ProblemsAreShownThenHowManyMore() {
    Compilation c = NncCompiler.check(SourceFile.of("m.nn", "input 4;\n" + "dense 1 (;\n".repeat(250) + "loss mse;"));
    assertEquals(251, c.diagnostics().size());
    String rendered = c.renderDiagnostics();
    assertEquals(100, rendered.split("\\[syntax-error\\]", -1).length - 1);
    assertTrue(rendered.endsWith("... and 151 more problems in m.nn (only the first 100 are shown)"), rendered);
  }

  @Test
  void invisibleCharactersAreEscapedAndNamed() {
    String source = "\ufeffinput 4;\ndense 3\u202e softmax;\nloss \u001b[2J;";
    List<String> rendered = NncCompiler.check(SourceFile.of("m.nn", source)).diagnostics().stream()
        .map(d -> d.render(SourceFile.of("m.nn", source))).toList();
    assertTrue(rendered.get(0).contains("unexpected character '\\ufeff' (U+FEFF ZERO WIDTH NO-BREAK SPACE, a byte order"
        + " mark; save the file as UTF-8 without one)"), rendered.get(0));
    assertTrue(rendered.get(0).contains("\n\\ufeffinput 4;\n"), rendered.get(0));
    assertTrue(rendered.get(1).contains("(U+202E RIGHT-TO-LEFT OVERRIDE, a bidirectional control, which makes text display"
        + " in another order than it reads)"), rendered.get(1));
    assertTrue(rendered.get(1).endsWith("dense 3\\u202e softmax;\n       ^"), rendered.get(1));
    assertTrue(rendered.stream().anyMatch(r -> r.contains("U+001B ESCAPE, the escape character")), rendered.toString());
    rendered.forEach(r -> assertTrue(r.codePoints().noneMatch(Texts::isInvisible) || !r.contains("\u001b"), r));
    rendered.forEach(r -> assertTrue(r.chars().noneMatch(ch -> ch == 0x1b || ch == 0x202e || ch == 0xfeff), r));
  }

  @Test
  void aLoneCarriageReturnEndsALine() {
    Compilation c = NncCompiler.check(SourceFile.of("m.nn", "input 4;\rdense 3 rleu;\rloss mse;"));
    assertEquals("m.nn:2:9: error: unknown activation 'rleu' (did you mean 'relu'?) [unknown-activation]",
        c.diagnostics().get(0).headline());
    assertTrue(c.diagnostics().get(0).render(c.source()).endsWith("dense 3 rleu;\n        ^"));
  }
}
