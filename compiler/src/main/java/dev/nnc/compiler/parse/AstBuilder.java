package dev.nnc.compiler.parse;

import dev.nnc.compiler.ast.Argument;
import dev.nnc.compiler.ast.Item;
import dev.nnc.compiler.ast.ModelBlock;
import dev.nnc.compiler.ast.ModelFile;
import dev.nnc.compiler.ast.Name;
import dev.nnc.compiler.ast.NumberLiteral;
import dev.nnc.compiler.ast.Position;
import dev.nnc.compiler.ast.Statement;
import dev.nnc.compiler.ast.Value;
import dev.nnc.grammar.NnBaseVisitor;
import dev.nnc.grammar.NnParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Builds the immutable AST from ANTLR's parse tree; no ANTLR type leaves this class. A statement
 * with a syntax error becomes {@link Statement.Erroneous}; empty statements ({@code ;}) vanish.
 */
final class AstBuilder extends NnBaseVisitor<Statement> {

  ModelFile file(NnParser.FileContext context) {
    List<Item> items = new ArrayList<>();
    for (ParseTree child : context.children == null ? List.<ParseTree>of() : context.children) {
      if (child instanceof NnParser.ModelBlockContext block) {
        items.add(modelBlock(block));
      } else if (child instanceof NnParser.StatementContext statement) {
        statement(statement).ifPresent(items::add);
      }
    }
    return new ModelFile(items);
  }

  private ModelBlock modelBlock(NnParser.ModelBlockContext context) {
    List<Statement> statements = new ArrayList<>();
    for (NnParser.StatementContext statement : context.statement()) {
      statement(statement).ifPresent(statements::add);
    }
    Optional<Name> name = Optional.ofNullable(context.IDENT()).map(AstBuilder::name);
    return new ModelBlock(position(context.getStart()), name, statements);
  }

  private Optional<Statement> statement(NnParser.StatementContext context) {
    // Errors in sub-rules propagate to the statement (StatementRecoveryStrategy), so this is enough.
    if (context.exception != null) {
      Token start = context.getStart();
      return Optional.of(new Statement.Erroneous(position(start), start.getText()));
    }
    return Optional.ofNullable(visit(context));
  }

  @Override
  public Statement visitInputStatement(NnParser.InputStatementContext context) {
    return new Statement.Input(position(context.getStart()), dimensions(context.shape().getStart()));
  }

  @Override
  public Statement visitDenseStatement(NnParser.DenseStatementContext context) {
    return new Statement.Dense(
        position(context.getStart()),
        number(context.NUMBER()),
        Optional.ofNullable(context.IDENT()).map(AstBuilder::name),
        arguments(context.arguments()));
  }

  @Override
  public Statement visitActivationStatement(NnParser.ActivationStatementContext context) {
    return new Statement.Activation(position(context.getStart()), name(context.IDENT()));
  }

  @Override
  public Statement visitDropoutStatement(NnParser.DropoutStatementContext context) {
    return new Statement.Dropout(position(context.getStart()), number(context.NUMBER()));
  }

  @Override
  public Statement visitFlattenStatement(NnParser.FlattenStatementContext context) {
    return new Statement.Flatten(position(context.getStart()));
  }

  @Override
  public Statement visitLossStatement(NnParser.LossStatementContext context) {
    return new Statement.Loss(position(context.getStart()), name(context.IDENT()));
  }

  @Override
  public Statement visitOptimizerStatement(NnParser.OptimizerStatementContext context) {
    return new Statement.Optimizer(
        position(context.getStart()), name(context.IDENT()), arguments(context.arguments()));
  }

  @Override
  public Statement visitMetricsStatement(NnParser.MetricsStatementContext context) {
    return new Statement.Metrics(
        position(context.getStart()), context.IDENT().stream().map(AstBuilder::name).toList());
  }

  @Override
  public Statement visitTrainStatement(NnParser.TrainStatementContext context) {
    List<Argument> settings = context.trainSetting().stream()
        .map(s -> new Argument(name(s.IDENT()), number(s.NUMBER())))
        .toList();
    return new Statement.Train(position(context.getStart()), settings);
  }

  @Override
  public Statement visitUnknownStatement(NnParser.UnknownStatementContext context) {
    return new Statement.Unknown(position(context.getStart()), name(context.IDENT()));
  }

  @Override
  public Statement visitEmptyStatement(NnParser.EmptyStatementContext context) {
    return null;
  }

  private static List<Argument> arguments(NnParser.ArgumentsContext context) {
    if (context == null) return List.of();
    return context.argument().stream()
        .map(a -> new Argument(name(a.argumentName().getStart()), value(a.value()))).toList();
  }

  private static Value value(NnParser.ValueContext context) {
    return context.NUMBER() != null ? number(context.NUMBER()) : name(context.IDENT());
  }

  /** {@code 784} or {@code 28x28x1} (one token): one literal per dimension, each at its own column. */
  private static List<NumberLiteral> dimensions(Token shape) {
    List<NumberLiteral> dimensions = new ArrayList<>();
    Position start = position(shape);
    int offset = 0;
    for (String dimension : shape.getText().split("x", -1)) {
      dimensions.add(new NumberLiteral(dimension, start.plusColumns(offset)));
      offset += dimension.length() + 1;
    }
    return dimensions;
  }

  private static Name name(TerminalNode node) {
    return name(node.getSymbol());
  }

  private static Name name(Token token) {
    return new Name(token.getText(), position(token));
  }

  private static NumberLiteral number(TerminalNode node) {
    return new NumberLiteral(node.getText(), position(node.getSymbol()));
  }

  private static Position position(Token token) {
    return new Position(token.getLine(), token.getCharPositionInLine() + 1);
  }
}
