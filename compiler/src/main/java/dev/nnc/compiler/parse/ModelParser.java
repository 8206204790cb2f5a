package dev.nnc.compiler.parse;

import dev.nnc.compiler.ast.ModelFile;
import dev.nnc.compiler.diag.SourceFile;
import dev.nnc.grammar.NnLexer;
import dev.nnc.grammar.NnParser;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * The parse stage: source text → {@link ModelFile} plus syntax diagnostics. Never throws on bad
 * input: every syntax error becomes a diagnostic, and parsing resumes at the next statement so
 * that all errors in a file are reported. The grammar has no recursive rules, so no input nests
 * deeply enough to exhaust the stack.
 */
public final class ModelParser {
  private ModelParser() {}

  public static ParseResult parse(SourceFile source) {
    // A lone CR ends a line (old Mac files), as it does for SourceFile; the lexer counts only LF.
    // Same length, so every offset stays the same.
    String text = source.text().replaceAll("\r(?!\n)", "\n");
    NnLexer lexer = new NnLexer(CharStreams.fromString(text, source.displayName()));
    lexer.removeErrorListeners(); // the lexer cannot fail: stray characters become hidden tokens
    CommonTokenStream tokens = new CommonTokenStream(lexer);

    SyntaxErrorReporter reporter = new SyntaxErrorReporter(source, tokens);
    NnParser parser = new NnParser(tokens);
    parser.removeErrorListeners();
    parser.setErrorHandler(new StatementRecoveryStrategy(reporter));
    NnParser.FileContext tree;
    try {
      tree = parser.file();
    } catch (ParseCancellationException tooManyErrors) {
      return new ParseResult(new ModelFile(java.util.List.of()), reporter.diagnostics(), false);
    }

    reporter.reportUnexpectedCharacters();
    return new ParseResult(new AstBuilder().file(tree), reporter.diagnostics());
  }
}
