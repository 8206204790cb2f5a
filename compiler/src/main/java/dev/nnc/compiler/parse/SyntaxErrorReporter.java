package dev.nnc.compiler.parse;

import dev.nnc.compiler.diag.Diagnostic;
import dev.nnc.compiler.diag.DiagnosticIds;
import dev.nnc.compiler.diag.SourceFile;
import dev.nnc.compiler.diag.Texts;
import dev.nnc.grammar.NnLexer;
import dev.nnc.grammar.NnParser;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Turns syntax errors into positioned diagnostics that read like a good SQL engine's:
 * {@code mismatched input 'dense'. Expecting: ';'}, with token sets named for people
 * (see {@link ExpectedTokens}) and an error at the end of the file placed right after the last token.
 * A statement that ends without its {@code ';'} gets javac's {@code ';' expected}, placed right after
 * its last token rather than at the start of whatever follows it.
 */
final class SyntaxErrorReporter {
  private final SourceFile source;
  private final CommonTokenStream tokens;
  private final List<Diagnostic> diagnostics = new ArrayList<>();
  private int lastReportedTokenIndex = -1;

  SyntaxErrorReporter(SourceFile source, CommonTokenStream tokens) {
    this.source = source;
    this.tokens = tokens;
  }

  /**
   * @param inStatement whether the parser was inside a statement (else between statements, where
   *     a ';' in {@code expected} is only the start of an empty statement)
   */
  void mismatched(Token offending, IntervalSet expected, boolean inStatement) {
    // A statement's recovery stops before a '}' it could not use; the enclosing list may then
    // reject the same token. One report per token is enough.
    if (offending.getTokenIndex() == lastReportedTokenIndex) return;
    lastReportedTokenIndex = offending.getTokenIndex();
    if (inStatement && expected != null && expected.contains(NnParser.SEMI)) {
      Token last = lastTokenBefore(offending.getTokenIndex());
      if (last != null && startsSomethingElse(offending, last)) {
        add(last.getLine(), endColumn(last), DiagnosticIds.SYNTAX_ERROR, "';' expected");
        return;
      }
    }
    String expecting = ExpectedTokens.describe(expected);
    String suffix = expecting.isEmpty() ? "" : ". Expecting: " + expecting;
    if (offending.getType() == Token.EOF) {
      Token last = lastTokenBefore(offending.getTokenIndex());
      int line = last == null ? 1 : last.getLine();
      int column = last == null ? 1 : endColumn(last);
      add(line, column, DiagnosticIds.SYNTAX_ERROR, "unexpected end of file" + suffix);
    } else {
      add(offending.getLine(), offending.getCharPositionInLine() + 1, DiagnosticIds.SYNTAX_ERROR,
          "mismatched input " + Texts.quoted(offending.getText()) + suffix);
    }
  }

  /** One diagnostic per run of adjacent characters that no token accepts ({@code @}, {@code $$}). */
  void reportUnexpectedCharacters() {
    if (diagnostics.size() > MAX_SYNTAX_ERRORS) return;
    tokens.fill();
    Token runStart = null;
    StringBuilder run = new StringBuilder();
    int runEnd = -2;
    for (Token token : tokens.getTokens()) {
      if (token.getType() != NnLexer.UNEXPECTED_CHARACTER) continue;
      if (runStart != null && token.getStartIndex() == runEnd + 1 && token.getLine() == runStart.getLine()) {
        run.append(token.getText());
      } else {
        flushRun(runStart, run);
        runStart = token;
        run.setLength(0);
        run.append(token.getText());
      }
      runEnd = token.getStopIndex();
    }
    flushRun(runStart, run);
  }

  List<Diagnostic> diagnostics() {
    return diagnostics.stream()
        .sorted(Comparator.comparingInt(Diagnostic::line).thenComparingInt(Diagnostic::column))
        .toList();
  }

  private void flushRun(Token start, CharSequence text) {
    if (start == null) return;
    String noun = text.codePoints().count() == 1 ? "character" : "characters";
    // Characters that do not show as themselves are named, so that the message says what is there.
    String invisible = text.codePoints().filter(Texts::isInvisible).distinct().limit(3)
        .mapToObj(Texts::describe).collect(java.util.stream.Collectors.joining("; "));
    // Keras writes names as strings (activation='relu'); here they are bare words.
    boolean quotes = text.codePoints().allMatch(c -> c == '\'' || c == '"');
    add(start.getLine(), start.getCharPositionInLine() + 1, DiagnosticIds.UNEXPECTED_CHARACTER,
        "unexpected " + noun + " " + Texts.quoted(text.toString()) + (invisible.isEmpty() ? "" : " (" + invisible + ")")
            + (quotes ? " (names are written without quotes: activation = relu)" : ""));
  }

  /**
   * Whether {@code next}, which the statement ending in {@code last} cannot take, is something
   * other than a stray word inside it: the end of the file or of a block, a keyword (reserved, so
   * it starts the next statement), or anything on a later line. The statement then lacks its ';'.
   */
  private static boolean startsSomethingElse(Token next, Token last) {
    int type = next.getType();
    return type == Token.EOF || type == NnParser.RBRACE || type == NnParser.MODEL
        || ExpectedTokens.STATEMENT_KEYWORDS.contains(type) || next.getLine() > last.getLine();
  }

  /** The 1-based column just after {@code token} (tokens of the default channel hold no line break). */
  private static int endColumn(Token token) {
    return token.getCharPositionInLine() + token.getText().length() + 1;
  }

  private Token lastTokenBefore(int index) {
    for (int i = Math.min(index, tokens.size()) - 1; i >= 0; i--) {
      Token token = tokens.get(i);
      if (token.getChannel() == Token.DEFAULT_CHANNEL) return token;
    }
    return null;
  }

  /**
   * Syntax errors after which parsing stops: each costs the parser a recovery, and a file with
   * this many is no model anyone meant; the time and memory a hostile file costs stay bounded.
   */
  static final int MAX_SYNTAX_ERRORS = 1000;

  private void add(int line, int column, String id, String message) {
    if (diagnostics.size() >= MAX_SYNTAX_ERRORS) return; // stopped already; stray characters after it are not told
    diagnostics.add(Diagnostic.error(source, line, column, id, message));
    if (diagnostics.size() == MAX_SYNTAX_ERRORS) {
      diagnostics.add(Diagnostic.error(source, line, column, id,
          "too many syntax errors (" + MAX_SYNTAX_ERRORS + "); nnc stopped reading the file here"));
      throw new ParseCancellationException();
    }
  }
}
