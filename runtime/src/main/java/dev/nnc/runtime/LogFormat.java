package dev.nnc.runtime;

import java.util.Locale;
import java.util.Map;

/** Values and log lines as Keras 3's progress bar prints them. */
public final class LogFormat {
  private LogFormat() {}

  /** Four decimals, or scientific notation for values too small to show that way: {@code 0.0710}, {@code 3.2000e-05}. */
  public static String value(double v) {
    return String.format(Locale.ROOT, Math.abs(v) > 1e-3 ? "%.4f" : "%.4e", v);
  }

  /** {@code accuracy: 0.9785 - loss: 0.0710}, in the map's order. */
  public static String line(Map<String, Double> logs) {
    StringBuilder s = new StringBuilder();
    for (Map.Entry<String, Double> e : logs.entrySet()) {
      if (s.length() > 0) s.append(" - ");
      s.append(e.getKey()).append(": ").append(value(e.getValue()));
    }
    return s.toString();
  }
}
