package dev.nnc.runtime;

import java.util.Locale;

/** Whether a monitored quantity improves by going down or up: Keras' {@code mode}. */
public enum Monitor {
  /** Keras' {@code "auto"}: decided from the quantity's name. */
  AUTO,
  MIN,
  MAX;

  /** {@code "auto"}, {@code "min"} or {@code "max"}. */
  public static Monitor of(String mode) {
    return switch (mode.toLowerCase(Locale.ROOT)) {
      case "auto" -> AUTO;
      case "min" -> MIN;
      case "max" -> MAX;
      default -> throw new IllegalArgumentException("mode must be auto, min or max, not '" + mode + "'");
    };
  }

  /**
   * Whether {@code monitor} improves by growing in this mode; {@code AUTO} decides as Keras 3's
   * EarlyStopping does, from the metric's direction: losses and errors go down, accuracy, AUC,
   * precision and recall up.
   */
  boolean goesUp(String monitor) {
    return this == MAX || (this == AUTO && metricGoesUp(monitor));
  }

  /**
   * {@link #goesUp}, {@code AUTO} deciding by Keras' older rule that ReduceLROnPlateau and
   * ModelCheckpoint keep: "acc" in the name.
   */
  boolean goesUpByName(String monitor) {
    return this == MAX || (this == AUTO && monitor.contains("acc"));
  }

  private static boolean metricGoesUp(String monitor) {
    String metric = monitor.startsWith("val_") ? monitor.substring(4) : monitor;
    if (metric.equals("loss") || metric.contains("error") || metric.equals("mae") || metric.equals("mse")) return false;
    return metric.contains("acc") || metric.contains("auc") || metric.contains("precision") || metric.contains("recall");
  }
}
