package dev.nnc.compiler.parse;

import dev.nnc.grammar.NnParser;
import org.antlr.v4.runtime.ANTLRErrorStrategy;
import org.antlr.v4.runtime.InputMismatchException;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.atn.ATNState;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Error recovery by statement, the natural unit of this language: the first error in a statement
 * is reported, the rest of the statement is skipped (through its ';', or up to a statement keyword,
 * a '}' or the end), and parsing resumes with the next statement. Tokens that cannot
 * start a statement at all are reported once per run and skipped.
 *
 * <p>Unlike ANTLR's default strategy this never repairs the input by inserting or deleting a single
 * token (as Trino notes, that makes the messages worse), and errors inside sub-rules propagate up
 * to the statement, so a statement produces one error, not a cascade.
 */
final class StatementRecoveryStrategy implements ANTLRErrorStrategy {
  private final SyntaxErrorReporter reporter;

  // The last decision where the parser could also have left the rule; when the next match fails,
  // its expected tokens (not just the one token the match wanted) are what the user could write.
  private ParserRuleContext exitableContext;
  private int exitableState = ATNState.INVALID_STATE_NUMBER;
  private boolean skipping;

  StatementRecoveryStrategy(SyntaxErrorReporter reporter) {
    this.reporter = reporter;
  }

  @Override
  public void reset(Parser parser) {
    forgetExitableDecision();
    skipping = false;
  }

  @Override
  public Token recoverInline(Parser parser) {
    throw exitableContext == null
        ? new InputMismatchException(parser)
        : new InputMismatchException(parser, exitableState, exitableContext);
  }

  @Override
  public void sync(Parser parser) {
    ATNState state = parser.getInterpreter().atn.states.get(parser.getState());
    IntervalSet next = parser.getATN().nextTokens(state);
    int lookahead = parser.getInputStream().LA(1);
    if (next.contains(lookahead)) {
      forgetExitableDecision();
    } else if (next.contains(Token.EPSILON)) {
      if (exitableContext == null) {
        exitableContext = parser.getContext();
        exitableState = parser.getState();
      }
    } else if (isStatementList(parser.getContext())) {
      skipStrayTokens(parser, parser.getExpectedTokens());
    } else {
      throw new InputMismatchException(parser);
    }
  }

  @Override
  public void reportError(Parser parser, RecognitionException e) {
    if (!isRecoveryPoint(parser.getContext())) {
      throw e; // let the enclosing statement report it and resynchronize
    }
    Token offending = e.getOffendingToken() != null ? e.getOffendingToken() : parser.getCurrentToken();
    reporter.mismatched(offending, e.getExpectedTokens(), parser.getContext() instanceof NnParser.StatementContext);
  }

  @Override
  public void recover(Parser parser, RecognitionException e) {
    forgetExitableDecision();
    ParserRuleContext context = parser.getContext();
    TokenStream input = parser.getInputStream();
    skipping = true;
    if (context instanceof NnParser.FileContext) {
      while (input.LA(1) != Token.EOF) parser.consume();
    } else {
      skipRestOfStatement(parser, context.getStart());
    }
    skipping = false;
  }

  @Override
  public boolean inErrorRecoveryMode(Parser parser) {
    return skipping; // consumed while skipping, tokens become error nodes of the tree
  }

  @Override
  public void reportMatch(Parser parser) {
    forgetExitableDecision();
  }

  private void skipRestOfStatement(Parser parser, Token statementStart) {
    TokenStream input = parser.getInputStream();
    if (input.LT(1).getTokenIndex() == statementStart.getTokenIndex() && input.LA(1) != Token.EOF) {
      parser.consume(); // always make progress
    }
    while (true) {
      int type = input.LA(1);
      // Keywords are reserved, so one inside a statement most likely starts the next (a ';' is missing).
      if (type == Token.EOF || type == NnParser.RBRACE || ExpectedTokens.STATEMENT_KEYWORDS.contains(type)) return;
      parser.consume();
      if (type == NnParser.SEMI) return;
    }
  }

  /** Between statements: report a run of tokens that cannot start one, once, and skip it. */
  private void skipStrayTokens(Parser parser, IntervalSet expected) {
    TokenStream input = parser.getInputStream();
    if (input.LA(1) == Token.EOF) return; // the rule's own match of EOF or '}' reports this
    reporter.mismatched(input.LT(1), expected, false);
    skipping = true;
    while (input.LA(1) != Token.EOF && !expected.contains(input.LA(1))) parser.consume();
    skipping = false;
  }

  private static boolean isStatementList(ParserRuleContext context) {
    return context instanceof NnParser.FileContext || context instanceof NnParser.ModelBlockContext;
  }

  private static boolean isRecoveryPoint(ParserRuleContext context) {
    return context instanceof NnParser.StatementContext || isStatementList(context);
  }

  private void forgetExitableDecision() {
    exitableContext = null;
    exitableState = ATNState.INVALID_STATE_NUMBER;
  }
}
