package dev.nnc.cli;

import dev.nnc.runtime.Evaluation;
import java.util.Locale;

/** The one-line results {@code train} and {@code eval} print, in Keras' log style and order. */
final class Metrics {
  private Metrics() {}

  /** {@code accuracy: 0.9785 - loss: 0.0710}, each name after {@code prefix} ({@code test_}). */
  static String line(String prefix, Evaluation result, boolean withAccuracy) {
    String loss = prefix + "loss: " + format(result.loss());
    return withAccuracy ? prefix + "accuracy: " + format(result.accuracy()) + " - " + loss : loss;
  }

  /** Four decimals of the float32 value, as Keras' metrics are float32: equal whether read from a History or computed. */
  private static String format(double value) {
    return String.format(Locale.ROOT, "%.4f", (float) value);
  }
}
