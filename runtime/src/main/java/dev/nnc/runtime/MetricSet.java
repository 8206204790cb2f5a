package dev.nnc.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The loss and the metrics of one {@code fit} epoch or one {@code evaluate}, streamed over batches:
 * the loss as the mean of the batches' mean losses weighted by their sizes, each metric as
 * {@link Metric} defines it. Not thread-safe.
 */
public final class MetricSet {
  private final List<Metric> metrics;
  private double lossSum;
  private long seen;

  private MetricSet(List<Metric> metrics) {
    this.metrics = metrics;
  }

  /**
   * The named metrics for {@code model}, each once (in any case; aliases such as {@code acc} as the
   * metric they stand for).
   *
   * @throws IllegalArgumentException for an unknown metric or one that does not fit the model's loss
   */
  public static MetricSet of(Model model, List<String> names) {
    LinkedHashSet<String> unique = new LinkedHashSet<>();
    for (String name : names) unique.add(Metric.canonical(name));
    List<Metric> metrics = new ArrayList<>();
    for (String name : unique) metrics.add(Metric.of(name, model));
    return new MetricSet(List.copyOf(metrics));
  }

  /** The metrics' names in Keras' log order (sorted), without the loss. */
  public List<String> names() {
    return metrics.stream().map(Metric::name).sorted().toList();
  }

  public void reset() {
    lossSum = 0;
    seen = 0;
    for (Metric m : metrics) m.reset();
  }

  /** Adds a batch of {@code n} samples: its mean loss, the model's outputs for it and its targets. */
  public void update(float batchLoss, float[] output, float[] y, int n) {
    lossSum += (double) batchLoss * n;
    seen += n;
    for (Metric m : metrics) m.update(output, y, n);
  }

  /** Samples added since the last reset. */
  public long seen() {
    return seen;
  }

  /** The mean loss so far. */
  public double loss() {
    return seen == 0 ? 0 : lossSum / seen;
  }

  /** The metrics' values without the loss, by name. */
  public Map<String, Double> metricValues() {
    Map<String, Double> values = new LinkedHashMap<>();
    for (Metric m : metrics) values.put(m.name(), m.result());
    return values;
  }

  /**
   * The loss and every metric, each name after {@code prefix} ({@code "val_"} for validation), in
   * Keras' log order: sorted by name, as Keras sorts its logs.
   */
  public Map<String, Double> logs(String prefix) {
    return evaluation().logs(prefix);
  }

  /** What {@link Trainer#evaluate} returns for the samples added. */
  public Evaluation evaluation() {
    return new Evaluation(loss(), metricValues());
  }
}
