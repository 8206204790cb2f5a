package dev.nnc.compiler.check;

import dev.nnc.compiler.ast.Item;
import dev.nnc.compiler.ast.ModelBlock;
import dev.nnc.compiler.ast.ModelFile;
import dev.nnc.compiler.ast.Name;
import dev.nnc.compiler.ast.Position;
import dev.nnc.compiler.ast.Statement;
import dev.nnc.compiler.diag.Diagnostic;
import dev.nnc.compiler.diag.DiagnosticIds;
import dev.nnc.compiler.diag.SourceFile;
import dev.nnc.compiler.model.CheckedModel;
import dev.nnc.compiler.model.LayerSpec;
import dev.nnc.compiler.model.LossSpec;
import dev.nnc.compiler.model.OptimizerSpec;
import dev.nnc.compiler.model.TrainSpec;
import dev.nnc.compiler.parse.ParseResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The check stage: resolves names, fills in Keras' defaults, infers every shape and checks that the
 * loss fits the output. Every problem becomes a diagnostic (never an exception), all of them are
 * reported, and the {@link CheckedModel} comes back only when there is no error at all.
 */
public final class ModelChecker {
  private static final Comparator<Diagnostic> BY_POSITION =
      Comparator.comparingInt(Diagnostic::line).thenComparingInt(Diagnostic::column);

  private final SourceFile source;
  private final Reporter reporter;
  private final Map<String, Statement> firstByKeyword = new HashMap<>();
  private Optional<List<Integer>> inputShape = Optional.empty();
  private LayerChecker layers; // from the input statement on
  private Optional<LossSpec> loss = Optional.empty();
  private Name lossName;
  private Optional<OptimizerSpec> optimizer = Optional.of(OptimizerChecker.KERAS_DEFAULT);
  private final Set<String> metrics = new LinkedHashSet<>();
  /** Each metric as first written, to check it against the loss once that is known. */
  private final Map<String, Name> metricNames = new LinkedHashMap<>();
  private TrainSpec train = TrainSpec.KERAS_DEFAULTS;

  private ModelChecker(SourceFile source) {
    this.source = source;
    this.reporter = new Reporter(source);
  }

  /** Every diagnostic of the source (parse and check) in source order, and the model if there was no error. */
  public static CheckResult check(ParseResult parsed, SourceFile source) {
    if (!parsed.complete()) return new CheckResult(Optional.empty(), parsed.diagnostics());
    ModelChecker checker = new ModelChecker(source);
    Optional<CheckedModel> model = checker.check(parsed.file());
    List<Diagnostic> diagnostics = Stream.concat(parsed.diagnostics().stream(), checker.reporter.diagnostics().stream())
        .sorted(BY_POSITION) // stable: at one position, parse errors first
        .toList();
    boolean hasErrors = diagnostics.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
    return new CheckResult(hasErrors ? Optional.empty() : model, diagnostics);
  }

  private Optional<CheckedModel> check(ModelFile file) {
    List<ModelBlock> blocks = file.items().stream()
        .filter(ModelBlock.class::isInstance).map(ModelBlock.class::cast).toList();
    Optional<String> name = modelName(blocks);
    List<Statement> statements = statementsOf(file, blocks);
    Optional<Statement> input = statements.stream().filter(ModelChecker::isInput).findFirst();

    for (Statement statement : statements) {
      check(statement, input);
    }
    Position anchor = blocks.isEmpty() ? Position.START : blocks.get(0).position();
    Optional<OutputLayer> output = checkLayersPresent(statements, anchor);
    if (!firstByKeyword.containsKey("loss")) {
      reporter.error(anchor, DiagnosticIds.MISSING_LOSS,
          "the model has no loss; add a 'loss' statement, e.g. 'loss sparse_ce;'");
    }
    if (loss.isPresent() && output.isPresent()) {
      LossChecker.checkOutput(loss.get().kind(), lossName, output.get(), reporter);
    }
    if (loss.isPresent()) {
      metricNames.forEach((metric, written) -> MetricChecker.check(metric, written, loss.get().kind(), lossName, reporter));
    }
    if (reporter.hasErrors() || name.isEmpty() || inputShape.isEmpty() || loss.isEmpty() || optimizer.isEmpty()) {
      return Optional.empty();
    }
    Optional<List<LayerSpec>> checkedLayers = layers.layers();
    return checkedLayers.map(l -> new CheckedModel(name.get(), source.fileName(), inputShape.get(), l, loss.get(),
        optimizer.get(), List.copyOf(metrics), train));
  }

  private Optional<String> modelName(List<ModelBlock> blocks) {
    if (blocks.isEmpty()) return ModelNames.fromFileName(source.fileName(), reporter);
    Optional<Name> header = blocks.get(0).name();
    return header.isPresent() ? ModelNames.fromHeader(header.get(), reporter) : Optional.empty();
  }

  /**
   * The model's statements in source order. With a header, statements outside it are reported
   * but still checked (so a misplaced 'loss' does not also count as missing); the statements of
   * a second model are reported as such and not checked.
   */
  private List<Statement> statementsOf(ModelFile file, List<ModelBlock> blocks) {
    List<Statement> statements = new ArrayList<>();
    for (Item item : file.items()) {
      if (item instanceof ModelBlock block) {
        if (block == blocks.get(0)) {
          statements.addAll(block.statements());
        } else {
          reporter.error(block.position(), DiagnosticIds.DUPLICATE_MODEL,
              "a file holds one model, but this is a second 'model' block; move it to a file of its own");
        }
      } else if (item instanceof Statement statement) {
        if (!blocks.isEmpty() && !(statement instanceof Statement.Erroneous)) {
          String model = blocks.get(0).name().map(n -> "model " + n.text()).orElse("model");
          reporter.error(statement.position(), DiagnosticIds.STATEMENT_OUTSIDE_MODEL,
              "statement outside '" + model + " { ... }'; move it inside the braces");
        }
        statements.add(statement);
      }
    }
    return statements;
  }

  private void check(Statement statement, Optional<Statement> input) {
    if (statement instanceof Statement.Unknown unknown) {
      Vocabulary.STATEMENTS.resolve(unknown.keyword(), reporter); // not a keyword: reports, with a suggestion
    } else if (isLayer(statement)) {
      checkLayer(statement, input);
    } else if (statement instanceof Statement.Erroneous broken) {
      // Present, though broken: not "missing" later, and the layers after a broken input are checked.
      if (firstOf(broken, broken.keyword()) && broken.keyword().equals("input")) {
        layers = new LayerChecker(reporter, Optional.empty());
      }
    } else if (statement instanceof Statement.Input in && firstOf(in, "input")) {
      inputShape = LayerChecker.inputShape(in, reporter);
      layers = new LayerChecker(reporter, inputShape);
    } else if (statement instanceof Statement.Loss l && firstOf(l, "loss")) {
      lossName = l.name();
      loss = Vocabulary.LOSSES.resolve(l.name(), reporter).map(kind -> new LossSpec(kind, l.position().line()));
    } else if (statement instanceof Statement.Optimizer o && firstOf(o, "optimizer")) {
      optimizer = OptimizerChecker.check(o, reporter);
    } else if (statement instanceof Statement.Metrics m && firstOf(m, "metrics")) {
      for (Name n : m.names()) {
        Vocabulary.METRICS.resolve(n, reporter).ifPresent(metric -> {
          metrics.add(metric);
          metricNames.putIfAbsent(metric, n);
        });
      }
    } else if (statement instanceof Statement.Train t && firstOf(t, "train")) {
      train = TrainChecker.check(t, reporter);
    }
  }

  private void checkLayer(Statement layer, Optional<Statement> input) {
    if (layers == null) {
      if (input.isPresent()) {
        reporter.error(layer.position(), DiagnosticIds.LAYER_BEFORE_INPUT,
            "layer before 'input'; move the 'input' statement on line " + input.get().position().line()
                + " above the first layer");
      }
      // The layers before an input (or without one) are still checked, their shapes unknown, so
      // that their own mistakes are reported too.
      layers = new LayerChecker(reporter, Optional.empty());
    }
    layers.add(layer);
  }

  /** Reports a model without input or without layers, and a last layer that cannot be the output. */
  private Optional<OutputLayer> checkLayersPresent(List<Statement> statements, Position anchor) {
    if (!firstByKeyword.containsKey("input")) {
      Position at = statements.stream().filter(ModelChecker::isLayer).findFirst().map(Statement::position).orElse(anchor);
      reporter.error(at, DiagnosticIds.MISSING_INPUT, "the model has no input; add 'input N;' before the first layer");
      return Optional.empty();
    }
    if (layers.isEmpty()) {
      reporter.error(firstByKeyword.get("input").position(), DiagnosticIds.MISSING_LAYERS,
          "the model has no layers; add at least one after 'input', e.g. 'dense 10 softmax;'");
      return Optional.empty();
    }
    return layers.output();
  }

  /** Records the first statement of a kind that may appear once; reports a second one. */
  private boolean firstOf(Statement statement, String keyword) {
    if (!Vocabulary.SINGLE_STATEMENTS.contains(keyword)) return true;
    Statement first = firstByKeyword.putIfAbsent(keyword, statement);
    if (first == null) return true;
    reporter.error(statement.position(), DiagnosticIds.DUPLICATE_STATEMENT,
        "duplicate '" + keyword + "' statement (the first is on line " + first.position().line() + ")");
    return false;
  }

  private static boolean isInput(Statement statement) {
    return statement instanceof Statement.Input
        || statement instanceof Statement.Erroneous broken && broken.keyword().equals("input");
  }

  private static boolean isLayer(Statement statement) {
    return statement instanceof Statement.Dense
        || statement instanceof Statement.Activation
        || statement instanceof Statement.Dropout
        || statement instanceof Statement.Flatten
        || statement instanceof Statement.Erroneous broken && Vocabulary.LAYER_STATEMENTS.contains(broken.keyword());
  }
}
