package dev.nnc.runtime;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Keras 3's progress display for {@code fit}:
 *
 * <pre>
 * Epoch 1/5
 * 469/469 ━━━━━━━━━━━━━━━━━━━━ 2s 4ms/step - accuracy: 0.9254 - loss: 0.2636 - val_accuracy: 0.9612 - val_loss: 0.1290
 * </pre>
 *
 * Live, the line is rewritten with {@code '\r'} at most ten times a second, the part of the bar
 * still to go dim and the time being the ETA; at the end of the epoch it shows the time taken.
 * Otherwise only the finished line is printed.
 */
final class ProgressBar {
  private static final int WIDTH = 20;
  private static final long MIN_REDRAW_NANOS = 100_000_000L;
  private static final String DIM = "\u001b[2m";
  private static final String RESET = "\u001b[0m";

  private final PrintStream out;
  private final boolean live;
  private final LongSupplier clock;

  private int steps;
  private long start;
  private long afterFirstStep;
  private long lastDraw;
  private int previousWidth;

  ProgressBar(PrintStream out, boolean live, LongSupplier clock) {
    this.out = out;
    this.live = live;
    this.clock = clock;
  }

  void startEpoch(int epoch, int epochs, int stepsInEpoch) {
    out.println("Epoch " + epoch + "/" + epochs);
    out.flush();
    steps = stepsInEpoch;
    start = clock.getAsLong();
    lastDraw = start - MIN_REDRAW_NANOS; // the first step is drawn
    previousWidth = 0;
  }

  /** After step {@code done} (from 1); {@code logs} is only asked for when the line is redrawn. */
  void step(int done, Supplier<Map<String, Double>> logs) {
    long now = clock.getAsLong();
    if (done == 1) afterFirstStep = now;
    if (!live || now - lastDraw < MIN_REDRAW_NANOS) return;
    lastDraw = now;
    double perStep = secondsPerStep(done, now);
    draw(format(done, steps, false, perStep * (steps - done), perStep, logs.get(), true), false);
  }

  void endEpoch(Map<String, Double> logs) {
    long now = clock.getAsLong();
    draw(format(steps, steps, true, (now - start) / 1e9, secondsPerStep(steps, now), logs, live), true);
  }

  /** Ends a live line part way, so that what is printed next starts on a line of its own. */
  void interrupt() {
    if (live && previousWidth > 0) {
      out.println();
      out.flush();
    }
  }

  private void draw(String line, boolean last) {
    if (live) {
      int width = visibleWidth(line);
      String pad = " ".repeat(Math.max(0, previousWidth - width));
      previousWidth = width;
      out.print("\r" + line + pad + (last ? System.lineSeparator() : ""));
    } else {
      out.println(line);
    }
    out.flush();
  }

  /** Keras leaves the first step out of the rate once there are more, as it holds warm-up. */
  private double secondsPerStep(int done, long now) {
    if (done > 1) return (now - afterFirstStep) / 1e9 / (done - 1);
    return done == 1 ? (now - start) / 1e9 : 0;
  }

  /**
   * One progress line. {@code seconds} is the ETA while {@code finished} is false, else the time
   * the epoch took; {@code ansi} dims the part of the bar still to go.
   */
  static String format(int done, int total, boolean finished, double seconds, double secondsPerStep,
      Map<String, Double> logs, boolean ansi) {
    StringBuilder s = new StringBuilder();
    String counter = String.valueOf(done);
    s.append(" ".repeat(Math.max(0, String.valueOf(total).length() - counter.length())))
        .append(counter).append('/').append(total).append(' ');
    int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
    s.append("━".repeat(filled));
    if (filled < WIDTH) {
      String rest = "─".repeat(WIDTH - filled);
      s.append(ansi ? DIM + rest + RESET : rest);
    }
    s.append(' ').append(finished ? Math.round(seconds) + "s" : eta(seconds));
    s.append(' ').append(perStep(secondsPerStep));
    for (Map.Entry<String, Double> e : logs.entrySet()) {
      s.append(" - ").append(e.getKey()).append(": ").append(value(e.getValue()));
    }
    return s.toString();
  }

  private static String eta(double seconds) {
    long t = (long) seconds;
    if (t > 3600) return String.format(Locale.ROOT, "%d:%02d:%02d", t / 3600, (t % 3600) / 60, t % 60);
    if (t > 60) return String.format(Locale.ROOT, "%d:%02d", t / 60, t % 60);
    return t + "s";
  }

  static String perStep(double seconds) {
    if (seconds >= 1 || seconds == 0) return Math.round(seconds) + "s/step";
    if (seconds >= 1e-3) return Math.round(seconds * 1e3) + "ms/step";
    return Math.round(seconds * 1e6) + "us/step";
  }

  /** Four decimals, or scientific notation for values too small to show that way, as Keras. */
  static String value(double v) {
    return LogFormat.value(v);
  }

  private static int visibleWidth(String line) {
    return line.replace(DIM, "").replace(RESET, "").length();
  }
}
