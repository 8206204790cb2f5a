package dev.nnc.compiler.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.compiler.ast.Argument;
import dev.nnc.compiler.ast.ModelBlock;
import dev.nnc.compiler.ast.Name;
import dev.nnc.compiler.ast.NumberLiteral;
import dev.nnc.compiler.ast.Position;
import dev.nnc.compiler.ast.Statement;
import dev.nnc.compiler.diag.Diagnostic;
import dev.nnc.compiler.diag.SourceFile;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelParserTest {

  static ParseResult parse(String text) {
    return ModelParser.parse(SourceFile.of("t.nn", text));
  }

  static List<String> headlines(String text) {
    return parse(text).diagnostics().stream().map(Diagnostic::headline).toList();
  }

  private static Position at(int line, int column) {
    return new Position(line, column);
  }

  @Test
  void buildsTheAstWithPositions() {
    ParseResult result = parse("""
        input 28x28;
        dense 512 relu (use_bias = false, init = he_normal);
          optimizer adam(learning_rate = 1e-3);
        metrics accuracy, acc;
        train batch 128 epochs 5;
        dens 10 x;
        """);
    assertEquals(List.of(), result.diagnostics());
    assertEquals(List.of(
        new Statement.Input(at(1, 1), List.of(new NumberLiteral("28", at(1, 7)), new NumberLiteral("28", at(1, 10)))),
        new Statement.Dense(at(2, 1), new NumberLiteral("512", at(2, 7)), Optional.of(new Name("relu", at(2, 11))),
            List.of(new Argument(new Name("use_bias", at(2, 17)), new Name("false", at(2, 28))),
                new Argument(new Name("init", at(2, 35)), new Name("he_normal", at(2, 42))))),
        new Statement.Optimizer(at(3, 3), new Name("adam", at(3, 13)),
            List.of(new Argument(new Name("learning_rate", at(3, 18)), new NumberLiteral("1e-3", at(3, 34))))),
        new Statement.Metrics(at(4, 1), List.of(new Name("accuracy", at(4, 9)), new Name("acc", at(4, 19)))),
        new Statement.Train(at(5, 1), List.of(
            new Argument(new Name("batch", at(5, 7)), new NumberLiteral("128", at(5, 13))),
            new Argument(new Name("epochs", at(5, 17)), new NumberLiteral("5", at(5, 24))))),
        new Statement.Unknown(at(6, 1), new Name("dens", at(6, 1)))), result.file().items());
  }

  @Test
  void headerFormKeepsStatementsInsideTheBlock() {
    ParseResult result = parse("model Xor {\n  input 2;\n  flatten;\n}\nloss mse;");
    assertEquals(List.of(), result.diagnostics());
    ModelBlock block = assertInstanceOf(ModelBlock.class, result.file().items().get(0));
    assertEquals(Optional.of(new Name("Xor", at(1, 7))), block.name());
    assertEquals(List.of(new Statement.Input(at(2, 3), List.of(new NumberLiteral("2", at(2, 9)))),
        new Statement.Flatten(at(3, 3))), block.statements());
    assertEquals(new Statement.Loss(at(5, 1), new Name("mse", at(5, 6))), result.file().items().get(1));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"1", "-5", "0.001", ".5", "5.", "1e-3", "2.5E+2", "-0.1"})
  void numbersAreWrittenAsInJavaAndPython(String number) {
    ParseResult result = parse("dropout " + number + ";");
    assertEquals(List.of(), result.diagnostics());
    assertEquals(new Statement.Dropout(at(1, 1), new NumberLiteral(number, at(1, 9))), result.file().items().get(0));
  }

  @Test
  void commentsRunToTheEndOfTheLine() {
    ParseResult result = parse("# dense 5;\ninput 3; // dense 6;\n  # loss mse;\nflatten; #");
    assertEquals(List.of(), result.diagnostics());
    assertEquals(List.of(new Statement.Input(at(2, 1), List.of(new NumberLiteral("3", at(2, 7)))),
        new Statement.Flatten(at(4, 1))), result.file().items());
  }

  @Test
  void keywordsAreCaseSensitive() {
    assertEquals(new Statement.Unknown(at(1, 1), new Name("Dense", at(1, 1))),
        parse("Dense 10;").file().items().get(0));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "input 4 dense 3;                | t.nn:1:8: error: ';' expected [syntax-error]",
      "dense 3 softmax                 | t.nn:1:16: error: ';' expected [syntax-error]",
      "dense 3 softmax )               | t.nn:1:17: error: mismatched input ')'. Expecting: '(', ';' [syntax-error]",
      "dense relu;                     | t.nn:1:7: error: mismatched input 'relu'. Expecting: <number> [syntax-error]",
      "input;                          | t.nn:1:6: error: mismatched input ';'. Expecting: <shape> [syntax-error]",
      "input 28x;                      | t.nn:1:9: error: mismatched input 'x'. Expecting: ';' [syntax-error]",
      "loss 3;                         | t.nn:1:6: error: mismatched input '3'. Expecting: <name> [syntax-error]",
      "activation;                     | t.nn:1:11: error: mismatched input ';'. Expecting: <name> [syntax-error]",
      "flatten 3;                      | t.nn:1:9: error: mismatched input '3'. Expecting: ';' [syntax-error]",
      "metrics accuracy acc;           | t.nn:1:18: error: mismatched input 'acc'. Expecting: ',', ';' [syntax-error]",
      "metrics;                        | t.nn:1:8: error: mismatched input ';'. Expecting: <name> [syntax-error]",
      "train batch;                    | t.nn:1:12: error: mismatched input ';'. Expecting: <number> [syntax-error]",
      "train batch = 3;                | t.nn:1:13: error: mismatched input '='. Expecting: <number> [syntax-error]",
      "optimizer adam(lr 3);           | t.nn:1:19: error: mismatched input '3'. Expecting: '=' [syntax-error]",
      "optimizer adam(lr = 3,);        | t.nn:1:23: error: mismatched input ')'. Expecting: <name> [syntax-error]",
      "optimizer adam(lr = 3;          | t.nn:1:22: error: mismatched input ';'. Expecting: ')', ',' [syntax-error]",
      "dense 3 relu (init = he) 4;     | t.nn:1:26: error: mismatched input '4'. Expecting: ';' [syntax-error]",
      "model M input 3;                | t.nn:1:9: error: mismatched input 'input'. Expecting: '{' [syntax-error]",
      "3;                              | t.nn:1:1: error: mismatched input '3'. Expecting: 'model', <end of file>, <statement> [syntax-error]",
      "dens 10 {                       | t.nn:1:9: error: mismatched input '{'. Expecting: ';' [syntax-error]",
      "dens 10 }                       | t.nn:1:8: error: ';' expected [syntax-error]",
      "dense 3 ñ;                      | t.nn:1:9: error: unexpected character 'ñ' [unexpected-character]",
  })
  void syntaxErrorsReadLikeAGoodSqlEngine(String source, String expected) {
    assertEquals(List.of(expected), headlines(source));
  }

  /** As javac reports it: after the last token of the statement that lacks the ';', with the caret there. */
  @Test
  void aMissingSemicolonIsReportedAfterTheStatementThatLacksIt() {
    String endOfLine = "input 784\ndense 10 softmax;\n";
    assertEquals(List.of(String.join(System.lineSeparator(),
        "t.nn:1:10: error: ';' expected [syntax-error]",
        "input 784",
        "         ^")), rendered(endOfLine));

    String endOfFile = "input 784;\ndense 10 softmax  # the output\n";
    assertEquals(List.of(String.join(System.lineSeparator(),
        "t.nn:2:17: error: ';' expected [syntax-error]",
        "dense 10 softmax  # the output",
        "                ^")), rendered(endOfFile));

    String inBlock = "model M {\n  input 4;\n  dense 3 relu (use_bias = false)\n  loss mse;\n  flatten\n}\n";
    assertEquals(List.of(String.join(System.lineSeparator(),
        "t.nn:3:34: error: ';' expected [syntax-error]",
        "  dense 3 relu (use_bias = false)",
        "                                 ^"), String.join(System.lineSeparator(),
        "t.nn:5:10: error: ';' expected [syntax-error]",
        "  flatten",
        "         ^")), rendered(inBlock));
    // Each statement is kept whole, so nothing else is reported about it.
    assertEquals(4, ((ModelBlock) parse(inBlock).file().items().get(0)).statements().size());
  }

  @Test
  void quotedNamesAsKerasWritesThemAreReportedWithTheBareForm() {
    String hint = " (names are written without quotes: activation = relu) [unexpected-character]";
    assertEquals(List.of("t.nn:1:24: error: unexpected character '''" + hint, "t.nn:1:29: error: unexpected character '''" + hint),
        headlines("dense 64 (activation = 'relu');"));
    assertEquals(List.of("t.nn:1:6: error: unexpected character '\"'" + hint, "t.nn:1:10: error: unexpected character '\"'" + hint),
        headlines("loss \"mse\";"));
  }

  @Test
  void aWordThatCannotContinueTheStatementIsStillNamed() {
    // On the same line and no keyword: something is in the way, rather than a ';' missing.
    assertEquals(List.of("t.nn:1:9: error: mismatched input 'x'. Expecting: ';' [syntax-error]"), headlines("input 5 x 5;"));
    // Between statements a ';' is only an empty statement: a stray token is named as before.
    assertEquals(List.of("t.nn:2:1: error: mismatched input '3'. Expecting: 'model', <end of file>, <statement> [syntax-error]"),
        headlines("input 5;\n3;"));
    // Where the statement cannot end yet, the token expected is named.
    assertEquals(List.of("t.nn:2:1: error: mismatched input 'loss'. Expecting: ')', ',' [syntax-error]"),
        headlines("optimizer adam(beta_1 = 0.5\nloss mse;"));
  }

  private static List<String> rendered(String text) {
    SourceFile source = SourceFile.of("t.nn", text);
    return ModelParser.parse(source).diagnostics().stream().map(d -> d.render(source)).toList();
  }

  @Test
  void aBrokenHeaderLeavesItsBlockToTopLevel() {
    // The statements are parsed at top level; the closing brace is then a stray token of its own.
    assertEquals(List.of(
        "t.nn:1:7: error: mismatched input '{'. Expecting: <name> [syntax-error]",
        "t.nn:1:18: error: mismatched input '}'. Expecting: 'model', <end of file>, <statement> [syntax-error]"),
        headlines("model { input 3; }"));
    assertEquals(List.of(
        "t.nn:1:11: error: mismatched input 'model'. Expecting: '}', <statement> [syntax-error]",
        "t.nn:1:19: error: mismatched input '{'. Expecting: ';' [syntax-error]",
        "t.nn:1:23: error: mismatched input '}'. Expecting: 'model', <end of file>, <statement> [syntax-error]"),
        headlines("model M { model N { } }"));
  }

  @Test
  void recoversAtEachStatementAndReportsEveryError() {
    ParseResult result = parse("""
        input 4
        dense 3 relu;
        dense (;
        dropout 0.5 0.5;
        flatten;
        loss;
        """);
    assertEquals(List.of(
        "t.nn:1:8: error: ';' expected [syntax-error]",
        "t.nn:3:7: error: mismatched input '('. Expecting: <number> [syntax-error]",
        "t.nn:4:13: error: mismatched input '0.5'. Expecting: ';' [syntax-error]",
        "t.nn:6:5: error: mismatched input ';'. Expecting: <name> [syntax-error]"),
        result.diagnostics().stream().map(Diagnostic::headline).toList());
    // Broken statements stay in the AST, so the checker does not also call them missing.
    assertEquals(List.of(
        new Statement.Erroneous(at(1, 1), "input"),
        new Statement.Dense(at(2, 1), new NumberLiteral("3", at(2, 7)), Optional.of(new Name("relu", at(2, 9))), List.of()),
        new Statement.Erroneous(at(3, 1), "dense"),
        new Statement.Erroneous(at(4, 1), "dropout"),
        new Statement.Flatten(at(5, 1)),
        new Statement.Erroneous(at(6, 1), "loss")), result.file().items());
  }

  @Test
  void aMissingClosingBraceKeepsTheBlocksStatements() {
    ParseResult result = parse("model M {\n  input 3;\n  flatten;\n");
    assertEquals(List.of("t.nn:3:11: error: unexpected end of file. Expecting: '}' [syntax-error]"),
        result.diagnostics().stream().map(Diagnostic::headline).toList());
    assertEquals(2, ((ModelBlock) result.file().items().get(0)).statements().size());
  }

  @Test
  void runsOfStrayCharactersAreOneErrorEach() {
    assertEquals(List.of(
        "t.nn:1:7: error: unexpected characters '@@' [unexpected-character]",
        "t.nn:1:10: error: unexpected character '!' [unexpected-character]",
        "t.nn:2:1: error: unexpected character '\\u0001' (U+0001 START OF HEADING, a control character) [unexpected-character]"),
        headlines("input @@ !3;\n\u0001"));
  }

  @Test
  void longTokensAreCutInMessages() {
    String name = "a".repeat(100);
    String headline = headlines("loss " + name + " x;").get(0);
    assertEquals("t.nn:1:107: error: mismatched input 'x'. Expecting: ';' [syntax-error]", headline);
    String cut = headlines("input " + name + ";").get(0);
    assertTrue(cut.contains("'" + "a".repeat(40) + "...'"), cut);
  }
}
