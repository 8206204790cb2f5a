package dev.nnc.runtime;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Trainer#fit} measured, epoch by epoch: Keras' {@code History.history}. The values
 * are float32, as Keras' metrics are, widened to double.
 */
public final class History {
  private final boolean hasAccuracy;
  private final boolean hasValidation;
  private final List<Double> loss = new ArrayList<>();
  private final List<Double> accuracy = new ArrayList<>();
  private final List<Double> valLoss = new ArrayList<>();
  private final List<Double> valAccuracy = new ArrayList<>();
  /** Series beyond the loss and accuracy ones, such as {@code learning_rate}, by name. */
  private final Map<String, List<Double>> others = new java.util.TreeMap<>();

  public History(boolean hasAccuracy, boolean hasValidation) {
    this.hasAccuracy = hasAccuracy;
    this.hasValidation = hasValidation;
  }

  /** Records one epoch; the accuracy and validation values are ignored when not tracked. */
  public void add(double epochLoss, double epochAccuracy, Evaluation validation) {
    loss.add((double) (float) epochLoss);
    if (hasAccuracy) accuracy.add((double) (float) epochAccuracy);
    if (hasValidation) {
      valLoss.add((double) (float) validation.loss());
      if (hasAccuracy) valAccuracy.add((double) (float) validation.accuracy());
    }
  }

  /**
   * Records one epoch from its logs under Keras' names ({@code loss}, {@code accuracy},
   * {@code val_loss}, {@code val_accuracy}, and others such as {@code learning_rate}, kept as
   * series of their own).
   */
  public void add(Map<String, Double> logs) {
    Double valLossValue = logs.get("val_loss");
    Evaluation validation = valLossValue == null ? null
        : new Evaluation(valLossValue, logs.getOrDefault("val_accuracy", Double.NaN));
    add(logs.get("loss"), logs.getOrDefault("accuracy", Double.NaN), validation);
    for (Map.Entry<String, Double> e : logs.entrySet()) {
      if (List.of("loss", "accuracy", "val_loss", "val_accuracy").contains(e.getKey())) continue;
      others.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add((double) (float) (double) e.getValue());
    }
  }

  /** Number of epochs recorded. */
  public int epochs() {
    return loss.size();
  }

  /** Whether the accuracy metric was tracked. */
  public boolean hasAccuracy() {
    return hasAccuracy;
  }

  /** Whether there was validation data. */
  public boolean hasValidation() {
    return hasValidation;
  }

  /** Mean training loss per epoch. */
  public List<Double> loss() {
    return List.copyOf(loss);
  }

  /** Training accuracy per epoch; empty when accuracy was not tracked. */
  public List<Double> accuracy() {
    return List.copyOf(accuracy);
  }

  /** Validation loss per epoch; empty without validation data. */
  public List<Double> valLoss() {
    return List.copyOf(valLoss);
  }

  /** Validation accuracy per epoch; empty without validation data or accuracy. */
  public List<Double> valAccuracy() {
    return List.copyOf(valAccuracy);
  }

  /**
   * The tracked series under Keras' names, in CSV column order: sorted by name, as CSVLogger sorts
   * them ({@code accuracy, learning_rate, loss, val_accuracy, val_loss}).
   */
  public Map<String, List<Double>> asMap() {
    Map<String, List<Double>> map = new java.util.TreeMap<>();
    if (hasAccuracy) map.put("accuracy", accuracy());
    map.put("loss", loss());
    if (hasValidation && hasAccuracy) map.put("val_accuracy", valAccuracy());
    if (hasValidation) map.put("val_loss", valLoss());
    others.forEach((name, values) -> map.put(name, List.copyOf(values)));
    return new LinkedHashMap<>(map);
  }

  /**
   * The history as Keras' {@code CSVLogger} writes it: a header {@code epoch,accuracy,loss,...},
   * then one row per epoch numbered from 0, values as Python prints floats, lines ended by
   * {@code \r\n} (Python's csv module's default).
   */
  public String toCsv() {
    Map<String, List<Double>> columns = asMap();
    StringBuilder csv = new StringBuilder("epoch");
    for (String name : columns.keySet()) csv.append(',').append(name);
    csv.append("\r\n");
    for (int epoch = 0; epoch < epochs(); epoch++) {
      csv.append(epoch);
      for (List<Double> values : columns.values()) csv.append(',').append(PythonFloat.repr(values.get(epoch)));
      csv.append("\r\n");
    }
    return csv.toString();
  }

  /** Writes {@link #toCsv()} to {@code file} atomically. */
  public void writeCsv(Path file) {
    byte[] bytes = toCsv().getBytes(StandardCharsets.UTF_8);
    AtomicFile.write(file, out -> out.write(bytes));
  }
}
