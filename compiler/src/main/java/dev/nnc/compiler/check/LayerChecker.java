package dev.nnc.compiler.check;

import dev.nnc.compiler.ast.Argument;
import dev.nnc.compiler.ast.Name;
import dev.nnc.compiler.ast.NumberLiteral;
import dev.nnc.compiler.ast.Position;
import dev.nnc.compiler.ast.Statement;
import dev.nnc.compiler.diag.DiagnosticIds;
import dev.nnc.compiler.diag.Texts;
import dev.nnc.compiler.model.Activation;
import dev.nnc.compiler.model.ActivationSpec;
import dev.nnc.compiler.model.DenseSpec;
import dev.nnc.compiler.model.DropoutSpec;
import dev.nnc.compiler.model.FlattenSpec;
import dev.nnc.compiler.model.LayerSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * Layer statements in order → {@link LayerSpec}s with Keras names ({@code dense_1}) and inferred
 * shapes. After an error the shape may be unknown; checks that need it are then skipped rather than
 * reported twice, and a dense layer makes it known again ({@code [units]}).
 */
final class LayerChecker {
  /** Keras' {@code Dense} keywords; {@code activation} may also stand after the units, unnamed. */
  private static final List<Parameter> DENSE_OPTIONS = List.of(
      Parameter.named("activation"),
      Parameter.named("use_bias"),
      Parameter.named("init").withAliases("kernel_initializer"),
      Parameter.named("bias_init").withAliases("bias_initializer"));

  /**
   * The most layers a model has: the generated forward and backward methods call one kernel per
   * layer, and with 100 dense layers the backward method (the larger) takes about 6,900 bytes of
   * bytecode, within HotSpot's 8,000-byte limit for JIT-compiling a method.
   */
  static final int MAX_LAYERS = 100;

  private final Reporter reporter;
  private int layerCount;
  private final Map<String, Integer> layerCounts = new HashMap<>();
  private final List<LayerSpec> layers = new ArrayList<>();
  private List<Integer> shape; // the output shape so far, null when unknown after an error
  private boolean complete = true; // every statement so far became a LayerSpec
  private long parameterCount;
  private boolean parameterCountReported;
  private Statement lastStatement;
  private String lastName;
  private OutputLayer output; // the last layer's, when it is a valid dense or activation layer

  LayerChecker(Reporter reporter, Optional<List<Integer>> inputShape) {
    this.reporter = reporter;
    this.shape = inputShape.orElse(null);
    this.complete = inputShape.isPresent();
  }

  /** {@code input 28x28;} → [28, 28], each dimension ≥ 1 and the whole small enough for an array. */
  static Optional<List<Integer>> inputShape(Statement.Input input, Reporter reporter) {
    List<Integer> dimensions = new ArrayList<>();
    for (NumberLiteral dimension : input.dimensions()) {
      Literals.size(dimension, "input dimension", reporter).ifPresent(d -> dimensions.add((int) d));
    }
    if (dimensions.size() != input.dimensions().size()) return Optional.empty();
    long size = 1;
    for (int d : dimensions) {
      size *= d; // cannot overflow: we stop as soon as it passes an int
      if (size > Literals.MAX_ARRAY_LENGTH) break;
    }
    if (size > Literals.MAX_ARRAY_LENGTH) {
      reporter.error(input.dimensions().get(0).position(), DiagnosticIds.SIZE_TOO_LARGE,
          "input shape " + shapeText(dimensions) + " has more values than a Java array can hold ("
              + Literals.MAX_ARRAY_LENGTH + ")");
      return Optional.empty();
    }
    return Optional.of(List.copyOf(dimensions));
  }

  void add(Statement statement) {
    if (++layerCount == MAX_LAYERS + 1) {
      reporter.error(statement.position(), DiagnosticIds.TOO_MANY_LAYERS,
          "a model has at most " + MAX_LAYERS + " layers, and this is layer " + layerCount
              + " (each layer adds code to the generated forward and backward methods, which must stay"
              + " small enough for the JIT compiler)");
      complete = false;
    }
    if (statement instanceof Statement.Dense dense) {
      dense(dense);
    } else if (statement instanceof Statement.Activation activation) {
      activation(activation);
    } else if (statement instanceof Statement.Dropout dropout) {
      dropout(dropout);
    } else if (statement instanceof Statement.Flatten flatten) {
      flatten(flatten);
    } else if (statement instanceof Statement.Erroneous broken) {
      broken(broken);
    } else {
      throw new IllegalArgumentException("not a layer statement: " + statement);
    }
    lastStatement = statement;
  }

  boolean isEmpty() {
    return lastStatement == null;
  }

  /** Every layer, when all of them checked. */
  Optional<List<LayerSpec>> layers() {
    return complete ? Optional.of(List.copyOf(layers)) : Optional.empty();
  }

  /**
   * The output layer for the loss check. Reports a last layer that is not a dense or activation
   * layer, or whose output is not flat.
   */
  Optional<OutputLayer> output() {
    if (lastStatement instanceof Statement.Dropout || lastStatement instanceof Statement.Flatten) {
      reporter.error(lastStatement.position(), DiagnosticIds.INVALID_OUTPUT_LAYER,
          "the last layer gives the model's output and must be 'dense' or 'activation', but " + lastName
              + " is '" + keyword(lastStatement) + "'; add an output layer such as 'dense 10 softmax;'");
      return Optional.empty();
    }
    if (output != null && output.shape().size() > 1) {
      reporter.error(lastStatement.position(), DiagnosticIds.INVALID_OUTPUT_LAYER,
          "the model's output must be flat, but " + output.name() + " gives shape " + shapeText(output.shape())
              + "; add 'flatten;' and a 'dense' layer before it");
      return Optional.empty();
    }
    return Optional.ofNullable(output);
  }

  private void dense(Statement.Dense dense) {
    String name = nextName("dense");
    OptionalLong units = Literals.size(dense.units(), "units", reporter);
    ArgumentReader options = new ArgumentReader(reporter, "option", "'dense'", dense.options(), DENSE_OPTIONS);
    // Keras' keyword form, 'dense 64 (activation = relu)', means the same as 'dense 64 relu'.
    Optional<Name> activationName = dense.activation();
    Optional<Argument> activationOption = options.given("activation");
    if (activationName.isPresent() && activationOption.isPresent()) {
      reporter.error(activationOption.get().key().position(), DiagnosticIds.DUPLICATE_ARGUMENT,
          "duplicate option 'activation' (already given as " + Texts.quoted(activationName.get().text())
              + " after the units); give it once");
    }
    Optional<Activation> activation;
    if (activationName.isPresent()) {
      activation = Vocabulary.ACTIVATIONS.resolve(activationName.get(), reporter);
    } else if (activationOption.isPresent()) {
      activation = options.resolvedName("activation", Vocabulary.ACTIVATIONS, "an activation name");
      activationName = activation.map(a -> (Name) activationOption.get().value());
    } else {
      activation = Optional.of(Activation.LINEAR);
    }
    boolean useBias = options.bool("use_bias", true);
    String kernelInitializer = options.name("init", "glorot_uniform", Vocabulary.INITIALIZERS, "an initializer name");
    String biasInitializer = options.name("bias_init", "zeros", Vocabulary.INITIALIZERS, "an initializer name");
    Optional<Integer> inputs = flatInputs(dense);

    shape = units.isPresent() ? List.of((int) units.getAsLong()) : null;
    output = null;
    if (units.isEmpty() || activation.isEmpty() || inputs.isEmpty()) {
      complete = false;
      return;
    }
    DenseSpec spec = new DenseSpec(name, dense.position().line(), inputs.get(), (int) units.getAsLong(),
        activation.get(), useBias, kernelInitializer, biasInitializer);
    layers.add(spec);
    countParameters(spec, dense.units().position());
    Position activationAt = activationName.map(Name::position).orElse(dense.position());
    output = new OutputLayer(name, activation.get(), activationAt, spec.outputShape(), dense.units().position(),
        "dense " + dense.units().text() + " %s;");
  }

  /** The number of features a dense layer gets, when its input is known and flat. */
  private Optional<Integer> flatInputs(Statement.Dense dense) {
    if (shape == null) return Optional.empty();
    if (shape.size() > 1) {
      reporter.error(dense.position(), DiagnosticIds.FLATTEN_REQUIRED,
          "'dense' needs a flat input, but its input has shape " + shapeText(shape)
              + "; add 'flatten;' before this layer");
      return Optional.empty();
    }
    return Optional.of(shape.get(0));
  }

  private void countParameters(DenseSpec spec, Position at) {
    parameterCount += spec.parameterCount();
    if (parameterCount > Literals.MAX_ARRAY_LENGTH && !parameterCountReported) {
      parameterCountReported = true;
      reporter.error(at, DiagnosticIds.SIZE_TOO_LARGE,
          spec.name() + " brings the parameter count to " + parameterCount
              + ", more than a Java array can hold (" + Literals.MAX_ARRAY_LENGTH + ")");
      complete = false;
    }
  }

  private void activation(Statement.Activation statement) {
    String name = nextName("activation");
    Optional<Activation> activation = Vocabulary.ACTIVATIONS.resolve(statement.name(), reporter);
    output = null;
    if (activation.isEmpty() || shape == null) {
      complete = false;
      return;
    }
    layers.add(new ActivationSpec(name, statement.position().line(), shape, activation.get()));
    output = new OutputLayer(name, activation.get(), statement.name().position(), shape, statement.position(),
        "activation %s;");
  }

  private void dropout(Statement.Dropout statement) {
    String name = nextName("dropout");
    OptionalDouble rate = Literals.real(statement.rate(), "dropout rate", Range.UNIT_INTERVAL, reporter);
    output = null;
    if (rate.isEmpty() || shape == null) {
      complete = false;
      return;
    }
    layers.add(new DropoutSpec(name, statement.position().line(), shape, rate.getAsDouble()));
  }

  private void flatten(Statement.Flatten statement) {
    String name = nextName("flatten");
    output = null;
    if (shape == null) {
      complete = false;
      return;
    }
    FlattenSpec spec = new FlattenSpec(name, statement.position().line(), shape);
    layers.add(spec);
    shape = spec.outputShape();
  }

  /** A layer statement with a syntax error: it still takes its Keras name, but its shape is unknown. */
  private void broken(Statement.Erroneous statement) {
    nextName(statement.keyword());
    complete = false;
    shape = null;
    output = null;
  }

  /** {@code dense_1}, {@code dense_2}, ...: Keras names layers by type and position from 1. */
  private String nextName(String keyword) {
    lastName = keyword + "_" + layerCounts.merge(keyword, 1, Integer::sum);
    return lastName;
  }

  private static String keyword(Statement statement) {
    return statement instanceof Statement.Dropout ? "dropout" : "flatten";
  }

  static String shapeText(List<Integer> shape) {
    return shape.stream().map(String::valueOf).collect(Collectors.joining("x"));
  }
}
