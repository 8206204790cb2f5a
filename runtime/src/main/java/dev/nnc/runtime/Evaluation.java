package dev.nnc.runtime;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model's mean loss and its metrics over a data set, as Keras' {@code evaluate} returns them.
 *
 * @param loss the mean loss over the samples
 * @param metrics each metric's value by its Keras name ({@code accuracy}, {@code mae}, ...)
 */
public record Evaluation(double loss, Map<String, Double> metrics) {
  public Evaluation {
    metrics = Map.copyOf(metrics);
  }

  /** A loss and an accuracy (no accuracy when it is NaN). */
  public Evaluation(double loss, double accuracy) {
    this(loss, Double.isNaN(accuracy) ? Map.of() : Map.of("accuracy", accuracy));
  }

  /** The accuracy, or NaN when it was not measured. */
  public double accuracy() {
    return metric("accuracy");
  }

  /** The named metric's value, or NaN when it was not measured. */
  public double metric(String name) {
    Double value = metrics.get(name);
    return value == null ? Double.NaN : value;
  }

  /** The loss and the metrics, each name after {@code prefix} ({@code test_}), sorted as Keras logs them. */
  public Map<String, Double> logs(String prefix) {
    Map<String, Double> sorted = new TreeMap<>(metrics);
    sorted.put("loss", loss);
    Map<String, Double> logs = new LinkedHashMap<>();
    sorted.forEach((name, value) -> logs.put(prefix + name, value));
    return logs;
  }
}
