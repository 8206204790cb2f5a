package dev.nnc.runtime;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link Trainer#fit} measured, epoch by epoch: Keras' {@code History.history}, named series
 * ({@code accuracy}, {@code loss}, {@code val_accuracy}, {@code val_loss}, ...) in Keras' log order.
 * The values are float32, as Keras' metrics are, widened to double.
 */
public final class History {
  private final Map<String, List<Double>> series = new LinkedHashMap<>();
  private int epochs;

  /** An empty history; its keys come from the first epoch added. */
  public History() {}

  /** An empty history with these keys, so that it has them before any epoch (as CSV columns, say). */
  public History(List<String> keys) {
    for (String key : keys) series.put(key, new ArrayList<>());
  }

  /**
   * Records one epoch's logs, in their order ({@code fit} gives Keras' order: the training values
   * sorted by name, then the validation ones).
   *
   * @throws IllegalArgumentException if the names are not those of the epochs before (in any order:
   *     the history keeps its own)
   */
  public void add(Map<String, Double> logs) {
    if ((epochs > 0 || !series.isEmpty()) && !logs.keySet().equals(series.keySet())) {
      throw new IllegalArgumentException("epoch " + (epochs + 1) + " logs " + logs.keySet() + ", not " + keys());
    }
    for (Map.Entry<String, Double> e : logs.entrySet()) {
      series.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add((double) e.getValue().floatValue());
    }
    epochs++;
  }

  /** The names of the series, in Keras' log order. */
  public List<String> keys() {
    return List.copyOf(series.keySet());
  }

  /** The named series, one value per epoch; empty for a name not recorded. */
  public List<Double> get(String key) {
    List<Double> values = series.get(key);
    return values == null ? List.of() : List.copyOf(values);
  }

  /** Number of epochs recorded. */
  public int epochs() {
    return epochs;
  }

  /** Whether there was validation data. */
  public boolean hasValidation() {
    return series.containsKey("val_loss");
  }

  /** Mean training loss per epoch. */
  public List<Double> loss() {
    return get("loss");
  }

  /** Training accuracy per epoch; empty when accuracy was not tracked. */
  public List<Double> accuracy() {
    return get("accuracy");
  }

  /** Validation loss per epoch; empty without validation data. */
  public List<Double> valLoss() {
    return get("val_loss");
  }

  /** Validation accuracy per epoch; empty without validation data or accuracy. */
  public List<Double> valAccuracy() {
    return get("val_accuracy");
  }

  /** The series by name, in {@link #keys()} order. */
  public Map<String, List<Double>> asMap() {
    Map<String, List<Double>> map = new LinkedHashMap<>();
    for (String key : series.keySet()) map.put(key, get(key));
    return map;
  }

  /**
   * The history as Keras' {@code CSVLogger} writes it: a header {@code epoch,accuracy,loss,...}
   * with every key sorted, then one row per epoch numbered from 0, values as Python prints floats,
   * lines ended by {@code \r\n} (Python's csv module's default).
   */
  public String toCsv() {
    List<String> columns = keys().stream().sorted().toList();
    StringBuilder csv = new StringBuilder("epoch");
    for (String name : columns) csv.append(',').append(name);
    csv.append("\r\n");
    for (int epoch = 0; epoch < epochs; epoch++) {
      csv.append(epoch);
      for (String name : columns) csv.append(',').append(PythonFloat.repr(series.get(name).get(epoch)));
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
