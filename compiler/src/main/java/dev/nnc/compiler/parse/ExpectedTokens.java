package dev.nnc.compiler.parse;

import dev.nnc.grammar.NnParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;

/**
 * Names a set of expected tokens for people: keywords and punctuation in quotes, the other tokens
 * as placeholders ({@code <name>}, {@code <number>}), and the tokens that start a statement
 * collapsed into {@code <statement>}, as Trino collapses its expression rules.
 */
final class ExpectedTokens {
  private ExpectedTokens() {}

  private static final int MAX_LISTED = 8;

  private static final Map<Integer, String> PLACEHOLDERS = Map.of(
      NnParser.IDENT, "<name>",
      NnParser.NUMBER, "<number>",
      NnParser.DIMENSIONS, "<shape>",
      Token.EOF, "<end of file>");

  /** The keywords that start a statement; reserved, so they never appear inside one. */
  static final IntervalSet STATEMENT_KEYWORDS = new IntervalSet(
      NnParser.INPUT, NnParser.DENSE, NnParser.ACTIVATION, NnParser.DROPOUT, NnParser.FLATTEN,
      NnParser.LOSS, NnParser.OPTIMIZER, NnParser.METRICS, NnParser.TRAIN);

  /** What can start a statement: a keyword, a name (an unknown statement) or ';' (an empty one). */
  private static final IntervalSet STATEMENT_START =
      STATEMENT_KEYWORDS.or(new IntervalSet(NnParser.IDENT, NnParser.SEMI));

  static String describe(IntervalSet expected) {
    if (expected == null) return "";
    List<String> names = new ArrayList<>();
    IntervalSet rest = expected;
    if (containsAll(expected, STATEMENT_KEYWORDS)) {
      names.add("<statement>");
      rest = expected.subtract(STATEMENT_START);
    }
    if (rest.contains(NnParser.IDENT)) {
      rest = rest.subtract(IntervalSet.of(NnParser.ACTIVATION)); // as an argument's name, one of the <name>s
    }
    if (rest.contains(NnParser.DIMENSIONS)) {
      rest = rest.subtract(IntervalSet.of(NnParser.NUMBER)); // 784 and 28x28 are both shapes
    }
    for (int type : rest.toList()) {
      names.add(name(type));
    }
    // After the first word of an unknown statement almost any token may follow: listing them all
    // helps nobody, while the ';' that ends the statement is the useful part.
    if (names.size() > MAX_LISTED) return expected.contains(NnParser.SEMI) ? "';'" : "";
    return String.join(", ", new TreeSet<>(names)); // quoted names sort before <placeholders>
  }

  private static String name(int type) {
    String placeholder = PLACEHOLDERS.get(type);
    if (placeholder != null) return placeholder;
    String literal = NnParser.VOCABULARY.getLiteralName(type); // already in single quotes
    return literal != null ? literal : "<" + NnParser.VOCABULARY.getSymbolicName(type) + ">";
  }

  private static boolean containsAll(IntervalSet set, IntervalSet subset) {
    return subset.subtract(set).isNil();
  }
}
