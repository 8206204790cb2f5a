package dev.nnc.compiler.check;

import dev.nnc.compiler.ast.Statement;
import dev.nnc.compiler.model.TrainSpec;
import java.util.List;

/** {@code train batch N epochs N seed N;} → a {@link TrainSpec}, Keras' fit defaults for what is left out. */
final class TrainChecker {
  private TrainChecker() {}

  private static final List<Parameter> SETTINGS =
      List.of(Parameter.named("batch"), Parameter.named("epochs"), Parameter.named("seed"));

  static TrainSpec check(Statement.Train statement, Reporter reporter) {
    TrainSpec defaults = TrainSpec.KERAS_DEFAULTS;
    ArgumentReader settings = new ArgumentReader(reporter, "setting", "'train'", statement.settings(), SETTINGS);
    return new TrainSpec(
        (int) settings.whole("batch", defaults.batch(), 1, Integer.MAX_VALUE),
        (int) settings.whole("epochs", defaults.epochs(), 1, Integer.MAX_VALUE),
        settings.whole("seed", defaults.seed(), Long.MIN_VALUE, Long.MAX_VALUE));
  }
}
