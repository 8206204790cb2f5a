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
   * Whether {@code monitor} should grow under {@code AUTO}, as Keras 3's EarlyStopping decides it
   * from its metric's direction: losses and errors go down, accuracy, AUC, precision and recall up.
   */
  static boolean metricGoesUp(String monitor) {
    String metric = monitor.startsWith("val_") ? monitor.substring(4) : monitor;
    if (metric.equals("loss") || metric.contains("error") || metric.equals("mae") || metric.equals("mse")) return false;
    return metric.contains("acc") || metric.contains("auc") || metric.contains("precision") || metric.contains("recall");
  }

  /** Whether {@code monitor} should grow under {@code AUTO} by Keras' older rule (ReduceLROnPlateau, ModelCheckpoint): "acc" in the name. */
  static boolean accuracyLike(String monitor) {
    return monitor.contains("acc");
  }
}
