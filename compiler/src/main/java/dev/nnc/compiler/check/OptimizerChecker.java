package dev.nnc.compiler.check;

import dev.nnc.compiler.ast.Statement;
import dev.nnc.compiler.diag.Texts;
import dev.nnc.compiler.model.OptimizerSpec;
import java.util.List;
import java.util.Optional;

/** {@code optimizer NAME(args);} → an {@link OptimizerSpec} with Keras 3's defaults filled in. */
final class OptimizerChecker {
  private OptimizerChecker() {}

  /** Keras' compile default when the source names no optimizer: rmsprop with its defaults (line 0). */
  static final OptimizerSpec KERAS_DEFAULT = new OptimizerSpec.RmsProp(0.001, 0.9, 0, 1e-7, 0);

  // Keras 3 dropped 'lr'; it is no longer accepted, but a Keras 2 user gets pointed to the new name.
  private static final Parameter LEARNING_RATE = Parameter.named("learning_rate").withFormerNames("lr");
  private static final Parameter MOMENTUM = Parameter.named("momentum");
  private static final Parameter EPSILON = Parameter.named("epsilon");

  private static final List<Parameter> SGD = List.of(LEARNING_RATE, MOMENTUM, Parameter.named("nesterov"));
  private static final List<Parameter> RMSPROP = List.of(LEARNING_RATE, Parameter.named("rho"), MOMENTUM, EPSILON);
  private static final List<Parameter> ADAM =
      List.of(LEARNING_RATE, Parameter.named("beta_1"), Parameter.named("beta_2"), EPSILON);

  static Optional<OptimizerSpec> check(Statement.Optimizer statement, Reporter reporter) {
    int line = statement.position().line();
    String owner = "optimizer " + Texts.quoted(statement.name().text());
    return Vocabulary.OPTIMIZERS.resolve(statement.name(), reporter).map(kind -> switch (kind) {
      case SGD -> {
        ArgumentReader args = new ArgumentReader(reporter, "argument", owner, statement.arguments(), SGD);
        yield new OptimizerSpec.Sgd(
            args.real("learning_rate", 0.01, Range.POSITIVE),
            args.real("momentum", 0, Range.UNIT_INTERVAL),
            args.bool("nesterov", false),
            line);
      }
      case RMSPROP -> {
        ArgumentReader args = new ArgumentReader(reporter, "argument", owner, statement.arguments(), RMSPROP);
        yield new OptimizerSpec.RmsProp(
            args.real("learning_rate", 0.001, Range.POSITIVE),
            args.real("rho", 0.9, Range.UNIT_INTERVAL),
            args.real("momentum", 0, Range.UNIT_INTERVAL),
            args.real("epsilon", 1e-7, Range.POSITIVE),
            line);
      }
      case ADAM -> {
        ArgumentReader args = new ArgumentReader(reporter, "argument", owner, statement.arguments(), ADAM);
        yield new OptimizerSpec.Adam(
            args.real("learning_rate", 0.001, Range.POSITIVE),
            args.real("beta_1", 0.9, Range.UNIT_INTERVAL),
            args.real("beta_2", 0.999, Range.UNIT_INTERVAL),
            args.real("epsilon", 1e-7, Range.POSITIVE),
            line);
      }
    });
  }
}
