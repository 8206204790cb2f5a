package dev.nnc.cli;

import dev.nnc.runtime.Evaluation;
import dev.nnc.runtime.LogFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one-line results {@code train} and {@code eval} print, in Keras' log style and order. */
final class Metrics {
  private Metrics() {}

  /**
   * {@code accuracy: 0.9785 - loss: 0.0710}, each name after {@code prefix} ({@code test_}), sorted
   * as Keras logs them, each value as Keras prints it ({@code 3.2000e-05} when small) and of its
   * float32 value, as Keras' metrics are float32: equal whether read from a History or computed.
   */
  static String line(String prefix, Evaluation result) {
    Map<String, Double> logs = new LinkedHashMap<>();
    result.logs(prefix).forEach((name, value) -> logs.put(name, (double) value.floatValue()));
    return LogFormat.line(logs);
  }
}
