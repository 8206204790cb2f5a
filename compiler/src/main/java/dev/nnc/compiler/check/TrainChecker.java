package dev.nnc.compiler.check;

import dev.nnc.compiler.ast.Statement;
import dev.nnc.compiler.model.TrainSpec;
import java.util.List;

/**
 * {@code train batch N epochs N seed N validation_split F early_stopping P reduce_lr_on_plateau P;} →
 * a {@link TrainSpec}, Keras' fit defaults for what is left out.
 */
final class TrainChecker {
  private TrainChecker() {}

  private static final List<Parameter> SETTINGS =
      List.of(Parameter.named("batch"), Parameter.named("epochs"), Parameter.named("seed"),
          Parameter.named("validation_split"), Parameter.named("early_stopping"), Parameter.named("reduce_lr_on_plateau"));

  /** Keras' validation_split: a fraction of the samples, 0 (none) up to, not including, 1. */
  private static final Range VALIDATION_SPLIT = Range.UNIT_INTERVAL;

  static TrainSpec check(Statement.Train statement, Reporter reporter) {
    TrainSpec defaults = TrainSpec.KERAS_DEFAULTS;
    ArgumentReader settings = new ArgumentReader(reporter, "setting", "'train'", statement.settings(), SETTINGS);
    return new TrainSpec(
        (int) settings.whole("batch", defaults.batch(), 1, Integer.MAX_VALUE),
        (int) settings.whole("epochs", defaults.epochs(), 1, Integer.MAX_VALUE),
        settings.whole("seed", defaults.seed(), Long.MIN_VALUE, Long.MAX_VALUE),
        settings.real("validation_split", 0, VALIDATION_SPLIT),
        (int) settings.whole("early_stopping", -1, 0, Integer.MAX_VALUE),
        (int) settings.whole("reduce_lr_on_plateau", -1, 0, Integer.MAX_VALUE));
  }
}
