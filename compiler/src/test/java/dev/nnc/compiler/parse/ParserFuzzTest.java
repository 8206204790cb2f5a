package dev.nnc.compiler.parse;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.compiler.Compilation;
import dev.nnc.compiler.NncCompiler;
import dev.nnc.compiler.diag.Diagnostic;
import dev.nnc.compiler.diag.SourceFile;
import dev.nnc.compiler.diag.Texts;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzing the front end (parse and check): random text, random token sequences, and valid models
 * with random edits. Each input ends in a model or in diagnostics, never an exception, and what a
 * user would see stays bounded and free of characters a terminal would act on.
 */
class ParserFuzzTest {
  static final String VALID = """
      model Mnist {
        input 28x28;
        flatten;
        dense 512 relu (init = he_normal);
        dropout 0.2;
        dense 10 softmax;
        loss sparse_categorical_crossentropy;
        optimizer adam(learning_rate = 0.001, beta_1 = 0.9);
        metrics accuracy;
        train batch 128 epochs 5 seed 42;
      }
      """;

  static final List<String> TOKENS = List.of("model", "input", "dense", "activation", "dropout", "flatten", "loss",
      "optimizer", "metrics", "train", "{", "}", "(", ")", ",", "=", ";", "28x28", "784", "0", "-1", "1e39", "1e-50",
      "0.5", "99999999999999999999", "relu", "softmax", "sgd", "adam", "learning_rate", "batch", "seed", "epochs",
      "sparse_ce", "Mnist", "x", "\n", "\r", " ", "#", "//", "@", "\u202e", "\ufeff", "\u001b", "\u0000", "\u200b",
      "é", "\ud800", "\\u000a", "*/");

  @Property(tries = 1000)
  void anyTextChecksWithoutThrowing(@ForAll("anyText") String text) {
    checkSafely(text);
  }

  @Property(tries = 1000)
  void anyTokenSequenceChecksWithoutThrowing(@ForAll("tokenSequences") String text) {
    checkSafely(text);
  }

  @Property(tries = 1000)
  void anyEditOfAValidModelChecksWithoutThrowing(@ForAll("editsOfValid") String text) {
    checkSafely(text);
  }

  @Provide
  Arbitrary<String> anyText() {
    return Arbitraries.strings().all().ofMaxLength(400);
  }

  @Provide
  Arbitrary<String> tokenSequences() {
    return Arbitraries.of(TOKENS).list().ofMaxSize(120).map(tokens -> String.join(" ", tokens));
  }

  /** The valid model with up to 8 edits: a character deleted, inserted or replaced, or a token inserted. */
  @Provide
  Arbitrary<String> editsOfValid() {
    Arbitrary<int[]> edit = Combinators.combine(Arbitraries.integers().between(0, 3),
        Arbitraries.integers().between(0, VALID.length()), Arbitraries.integers().between(0, 0xFFFF))
        .as((kind, at, c) -> new int[] {kind, at, c});
    return edit.list().ofMaxSize(8).map(edits -> {
      StringBuilder s = new StringBuilder(VALID);
      for (int[] e : edits) {
        int at = Math.min(e[1], s.length());
        switch (e[0]) {
          case 0 -> { if (at < s.length()) s.deleteCharAt(at); }
          case 1 -> s.insert(at, (char) e[2]);
          case 2 -> { if (at < s.length()) s.setCharAt(at, (char) e[2]); }
          default -> s.insert(at, " " + TOKENS.get(e[2] % TOKENS.size()) + " ");
        }
      }
      return s.toString();
    });
  }

  static void checkSafely(String text) {
    SourceFile source = SourceFile.of("fuzz.nn", text);
    Compilation c = NncCompiler.check(source);
    assertTrue(c.model().isPresent() != c.hasErrors(), "a model exactly when there is no error");
    String rendered = c.renderDiagnostics();
    int shown = Math.min(c.diagnostics().size(), Compilation.MAX_SHOWN);
    // Each diagnostic shows a headline (its message cuts quoted text) and at most 2 x 60 characters of its line, escaped.
    assertTrue(rendered.length() <= shown * 1_600 + 200, "bounded output: " + rendered.length());
    assertTrue(rendered.codePoints().noneMatch(cp -> cp != '\n' && cp != '\t' && cp != '\r' && Texts.isInvisible(cp)),
        () -> "an invisible character passed through: " + rendered);
    for (Diagnostic d : c.diagnostics()) {
      assertTrue(d.line() >= 1 && d.column() >= 1, d.toString());
    }
  }
}
