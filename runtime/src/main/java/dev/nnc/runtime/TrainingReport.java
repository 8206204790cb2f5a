package dev.nnc.runtime;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A training run on one page: a self-contained XHTML file (inline CSS and SVG; no script, font or
 * network access) with the loss and every metric per epoch as line charts (training and
 * validation), the confusion matrix as a heat map with counts, per-class precision, recall and F1,
 * the timing, the command line and seed that reproduce the run, and the model summary.
 *
 * <p>Each plotted point carries its series, epoch and value ({@code data-series},
 * {@code data-epoch}, {@code data-value}), and each chart the scale its coordinates follow
 * ({@code data-lo}, {@code data-hi}, {@code data-x0}, ...), so that a program can read the numbers
 * back. All text is escaped; the file is well-formed XML.
 *
 * <pre>{@code
 * TrainingReport.of(history).model("Mnist", summaryText).confusion(matrix, "validation set")
 *     .write(Path.of("run.html"));
 * }</pre>
 */
public final class TrainingReport {
  /** Plot area of a chart, in SVG units. */
  static final double CHART_WIDTH = 520;
  static final double CHART_HEIGHT = 290;
  static final double PLOT_LEFT = 64;
  static final double PLOT_RIGHT = 500;
  static final double PLOT_TOP = 34;
  static final double PLOT_BOTTOM = 244;

  private static final String TRAIN_COLOUR = "#1f6fb4";
  private static final String VALIDATION_COLOUR = "#e8710a";

  /**
   * How long the run took.
   *
   * @param secondsToFirstStep from the start of the run (the process, for the command line) to the first training step
   * @param trainingSeconds the epochs' wall time, validation included
   * @param steps training steps taken
   * @param samples training samples seen (a sample once per epoch)
   */
  public record Timing(double secondsToFirstStep, double trainingSeconds, long steps, long samples) {}

  private final History history;
  private String modelName = "model";
  private String summary;
  private ConfusionMatrix confusion;
  private String confusionSource;
  private Timing timing;
  private String commandLine;
  private Long seed;
  /** The epoch (from 1) whose weights the model kept, when it is not the last, and why; or 0. */
  private int keptEpoch;
  private String keptBecause;

  private TrainingReport(History history) {
    this.history = Objects.requireNonNull(history, "history");
  }

  /** A report of {@code history}; the other parts are optional. */
  public static TrainingReport of(History history) {
    return new TrainingReport(history);
  }

  /**
   * Says that the model ends with the weights of {@code epoch} (from 1), not the last epoch's, and
   * why ({@code "restored by early stopping"}): the glance shows that epoch's values, and the charts
   * mark it.
   *
   * @throws IllegalArgumentException if the history has no such epoch
   */
  public TrainingReport weightsFrom(int epoch, String because) {
    if (epoch < 1 || epoch > history.epochs()) {
      throw new IllegalArgumentException("epoch " + epoch + " is not one of the history's 1.." + history.epochs());
    }
    keptEpoch = epoch;
    keptBecause = Objects.requireNonNull(because, "because");
    return this;
  }

  /** The model's name and its summary (Keras' {@code model.summary()} text), or null for none. */
  public TrainingReport model(String name, String summaryText) {
    this.modelName = Objects.requireNonNull(name, "name");
    this.summary = summaryText;
    return this;
  }

  /** The confusion matrix and where it was measured ({@code "validation set, 10000 samples"}). */
  public TrainingReport confusion(ConfusionMatrix matrix, String measuredOn) {
    this.confusion = matrix;
    this.confusionSource = measuredOn;
    return this;
  }

  public TrainingReport timing(Timing runTiming) {
    this.timing = runTiming;
    return this;
  }

  /** The command line that reproduces the run, and its seed. */
  public TrainingReport reproduce(String command, long runSeed) {
    this.commandLine = command;
    this.seed = runSeed;
    return this;
  }

  /** Writes the report to {@code file} atomically. */
  public void write(Path file) {
    byte[] bytes = toXhtml().getBytes(StandardCharsets.UTF_8);
    AtomicFile.write(file, out -> out.write(bytes));
  }

  /** The report as an XHTML document. */
  public String toXhtml() {
    StringBuilder h = new StringBuilder(32 * 1024);
    h.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n")
        .append("<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"UTF-8\"/>\n")
        .append("<title>").append(text("Training report: " + modelName)).append("</title>\n")
        .append("<style>").append(CSS).append("</style>\n</head>\n<body>\n");
    h.append("<header><h1>").append(text(modelName)).append("</h1><p class=\"sub\">training report, ")
        .append(history.epochs()).append(history.epochs() == 1 ? " epoch" : " epochs").append("</p></header>\n");
    glance(h);
    charts(h);
    confusionSection(h);
    timingSection(h);
    reproduceSection(h);
    if (summary != null) {
      h.append("<section id=\"model\"><h2>Model</h2><pre class=\"summary\">").append(text(summary)).append("</pre></section>\n");
    }
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  // ---------------------------------------------------------------- the parts

  /** The last epoch's values, training and validation side by side. */
  private void glance(StringBuilder h) {
    if (history.epochs() == 0) {
      h.append("<section id=\"glance\"><p>No epoch ran, so there is nothing to plot.</p></section>\n");
      return;
    }
    int last = keptEpoch > 0 ? keptEpoch - 1 : history.epochs() - 1;
    h.append("<section id=\"glance\"><h2>");
    if (keptEpoch > 0) {
      h.append("The weights of epoch ").append(keptEpoch).append("</h2><p class=\"sub\">")
          .append(text(keptBecause + "; training ran " + history.epochs() + " epochs")).append("</p>");
    } else {
      h.append("After epoch ").append(last + 1).append("</h2>");
    }
    h.append("<div class=\"cards\">");
    for (String name : metricNames()) {
      h.append("<div class=\"card\"><div class=\"name\">").append(text(name)).append("</div>");
      h.append("<div class=\"value\">").append(LogFormat.value(history.get(name).get(last))).append("</div>");
      List<Double> val = history.get("val_" + name);
      if (!val.isEmpty()) {
        h.append("<div class=\"val\">validation ").append(LogFormat.value(val.get(last))).append("</div>");
      }
      h.append("</div>");
    }
    h.append("</div></section>\n");
  }

  /** The training series' names (loss and metrics), each with its {@code val_} twin if there is one. */
  private List<String> metricNames() {
    List<String> names = new ArrayList<>();
    for (String key : history.keys()) {
      if (!key.startsWith("val_")) names.add(key);
    }
    // validation-only series (none from fit) still get a chart
    for (String key : history.keys()) {
      if (key.startsWith("val_") && !history.keys().contains(key.substring(4))) names.add(key);
    }
    names.sort((a, b) -> a.equals("loss") ? -1 : b.equals("loss") ? 1 : a.compareTo(b));
    return names;
  }

  private void charts(StringBuilder h) {
    if (history.epochs() == 0) return;
    h.append("<section id=\"charts\"><h2>Per epoch</h2><div class=\"charts\">\n");
    for (String name : metricNames()) {
      List<String> series = new ArrayList<>();
      series.add(name);
      if (!name.startsWith("val_") && history.keys().contains("val_" + name)) series.add("val_" + name);
      chart(h, name, series);
    }
    h.append("</div></section>\n");
  }

  /** One line chart: epochs from 1 along x, the series' values up y, a point per epoch, a legend. */
  private void chart(StringBuilder h, String title, List<String> series) {
    int epochs = history.epochs();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (String s : series) {
      for (double v : history.get(s)) {
        if (Double.isFinite(v)) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (lo > hi) {
      lo = 0;
      hi = 1;
    }
    Axis y = Axis.nice(lo, hi);
    h.append("<figure class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(num(CHART_WIDTH))
        .append("\" height=\"").append(num(CHART_HEIGHT)).append("\" viewBox=\"0 0 ").append(num(CHART_WIDTH)).append(' ')
        .append(num(CHART_HEIGHT)).append("\" role=\"img\" data-metric=\"").append(text(title))
        .append("\" data-epochs=\"").append(epochs).append("\" data-lo=\"").append(y.lo).append("\" data-hi=\"")
        .append(y.hi).append("\" data-x0=\"").append(PLOT_LEFT).append("\" data-x1=\"").append(PLOT_RIGHT)
        .append("\" data-y0=\"").append(PLOT_BOTTOM).append("\" data-y1=\"").append(PLOT_TOP).append("\">\n");
    h.append("<title>").append(text(title + " per epoch")).append("</title>\n");
    h.append("<text class=\"ctitle\" x=\"").append(num(PLOT_LEFT)).append("\" y=\"20\">").append(text(title)).append("</text>\n");
    // y grid and ticks
    for (double tick : y.ticks()) {
      double ty = yOf(tick, y);
      h.append("<line class=\"grid\" x1=\"").append(num(PLOT_LEFT)).append("\" x2=\"").append(num(PLOT_RIGHT))
          .append("\" y1=\"").append(num(ty)).append("\" y2=\"").append(num(ty)).append("\"/>");
      h.append("<text class=\"tick\" text-anchor=\"end\" x=\"").append(num(PLOT_LEFT - 6)).append("\" y=\"")
          .append(num(ty + 4)).append("\">").append(text(y.label(tick))).append("</text>\n");
    }
    // x ticks: epochs from 1, at most about ten labels
    int every = Math.max(1, (int) Math.ceil(epochs / 10.0));
    for (int e = 1; e <= epochs; e++) {
      if ((e - 1) % every != 0 && e != epochs) continue;
      double tx = xOf(e, epochs);
      h.append("<line class=\"axis\" x1=\"").append(num(tx)).append("\" x2=\"").append(num(tx)).append("\" y1=\"")
          .append(num(PLOT_BOTTOM)).append("\" y2=\"").append(num(PLOT_BOTTOM + 5)).append("\"/>");
      h.append("<text class=\"tick\" text-anchor=\"middle\" x=\"").append(num(tx)).append("\" y=\"")
          .append(num(PLOT_BOTTOM + 18)).append("\">").append(e).append("</text>\n");
    }
    h.append("<line class=\"axis\" x1=\"").append(num(PLOT_LEFT)).append("\" x2=\"").append(num(PLOT_RIGHT))
        .append("\" y1=\"").append(num(PLOT_BOTTOM)).append("\" y2=\"").append(num(PLOT_BOTTOM)).append("\"/>");
    h.append("<line class=\"axis\" x1=\"").append(num(PLOT_LEFT)).append("\" x2=\"").append(num(PLOT_LEFT))
        .append("\" y1=\"").append(num(PLOT_TOP)).append("\" y2=\"").append(num(PLOT_BOTTOM)).append("\"/>\n");
    h.append("<text class=\"label\" text-anchor=\"middle\" x=\"").append(num((PLOT_LEFT + PLOT_RIGHT) / 2))
        .append("\" y=\"").append(num(PLOT_BOTTOM + 38)).append("\">epoch</text>\n");
    if (keptEpoch > 0) {
      // a dashed line at the epoch whose weights the model kept
      double kx = xOf(keptEpoch, epochs);
      h.append("<line class=\"kept\" data-kept-epoch=\"").append(keptEpoch).append("\" x1=\"").append(num(kx))
          .append("\" x2=\"").append(num(kx)).append("\" y1=\"").append(num(PLOT_TOP)).append("\" y2=\"")
          .append(num(PLOT_BOTTOM)).append("\"><title>").append(text("the weights kept: epoch " + keptEpoch))
          .append("</title></line>\n");
    }
    // the series
    for (int s = 0; s < series.size(); s++) {
      String name = series.get(s);
      String colour = name.startsWith("val_") ? VALIDATION_COLOUR : TRAIN_COLOUR;
      List<Double> values = history.get(name);
      StringBuilder points = new StringBuilder();
      for (int e = 1; e <= values.size(); e++) {
        double v = values.get(e - 1);
        if (!Double.isFinite(v)) continue;
        if (points.length() > 0) points.append(' ');
        points.append(num(xOf(e, epochs))).append(',').append(num(yOf(v, y)));
      }
      h.append("<polyline class=\"series\" fill=\"none\" stroke=\"").append(colour).append("\" data-series=\"")
          .append(text(name)).append("\" points=\"").append(points).append("\"/>\n");
      for (int e = 1; e <= values.size(); e++) {
        double v = values.get(e - 1);
        if (!Double.isFinite(v)) continue;
        h.append("<circle class=\"point\" r=\"3.5\" fill=\"").append(colour).append("\" cx=\"").append(num(xOf(e, epochs)))
            .append("\" cy=\"").append(num(yOf(v, y))).append("\" data-series=\"").append(text(name))
            .append("\" data-epoch=\"").append(e).append("\" data-value=\"").append(v).append("\"><title>")
            .append(text(name)).append(", epoch ").append(e).append(": ").append(LogFormat.value(v))
            .append("</title></circle>\n");
      }
      // legend, top right
      double ly = PLOT_TOP - 18 + 14 * s;
      double lx = PLOT_RIGHT - 150;
      h.append("<line stroke=\"").append(colour).append("\" stroke-width=\"2.5\" x1=\"").append(num(lx)).append("\" x2=\"")
          .append(num(lx + 22)).append("\" y1=\"").append(num(ly)).append("\" y2=\"").append(num(ly)).append("\"/>");
      h.append("<text class=\"legend\" x=\"").append(num(lx + 28)).append("\" y=\"").append(num(ly + 4)).append("\">")
          .append(name.startsWith("val_") ? "validation" : "training").append("</text>\n");
    }
    h.append("</svg></figure>\n");
  }

  static double xOf(int epoch, int epochs) {
    if (epochs <= 1) return (PLOT_LEFT + PLOT_RIGHT) / 2;
    return PLOT_LEFT + (epoch - 1) * (PLOT_RIGHT - PLOT_LEFT) / (epochs - 1);
  }

  static double yOf(double value, Axis axis) {
    return PLOT_BOTTOM - (value - axis.lo) * (PLOT_BOTTOM - PLOT_TOP) / (axis.hi - axis.lo);
  }

  private void confusionSection(StringBuilder h) {
    if (confusion == null) return;
    int k = confusion.classes();
    h.append("<section id=\"confusion\"><h2>Confusion matrix</h2><p class=\"note\">")
        .append(text(confusionSource == null ? "" : confusionSource))
        .append(confusionSource == null ? "" : "; ").append("rows: the true class, columns: the predicted one; ")
        .append("the shade is the share of the row.</p>\n");
    double cell = Math.max(14, Math.min(44, 440.0 / k));
    double left = 56;
    double top = 40;
    double size = cell * k;
    double width = left + size + 20;
    double height = top + size + 20;
    h.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"heatmap\" width=\"").append(num(width))
        .append("\" height=\"").append(num(height)).append("\" viewBox=\"0 0 ").append(num(width)).append(' ')
        .append(num(height)).append("\" role=\"img\" data-classes=\"").append(k).append("\">\n");
    h.append("<title>confusion matrix</title>\n");
    h.append("<text class=\"label\" text-anchor=\"middle\" x=\"").append(num(left + size / 2)).append("\" y=\"14\">predicted class</text>\n");
    h.append("<text class=\"label\" text-anchor=\"middle\" transform=\"translate(14 ").append(num(top + size / 2))
        .append(") rotate(-90)\">true class</text>\n");
    double font = Math.min(13, cell * 0.36);
    for (int c = 0; c < k; c++) {
      h.append("<text class=\"tick\" text-anchor=\"middle\" x=\"").append(num(left + cell * c + cell / 2))
          .append("\" y=\"").append(num(top - 6)).append("\">").append(c).append("</text>");
      h.append("<text class=\"tick\" text-anchor=\"end\" x=\"").append(num(left - 6)).append("\" y=\"")
          .append(num(top + cell * c + cell / 2 + 4)).append("\">").append(c).append("</text>\n");
    }
    for (int t = 0; t < k; t++) {
      long support = confusion.support(t);
      for (int p = 0; p < k; p++) {
        long count = confusion.count(t, p);
        double share = support == 0 ? 0 : (double) count / support;
        double x = left + cell * p;
        double y = top + cell * t;
        h.append("<rect class=\"cell\" x=\"").append(num(x)).append("\" y=\"").append(num(y)).append("\" width=\"")
            .append(num(cell)).append("\" height=\"").append(num(cell)).append("\" fill=\"").append(shade(share, t == p))
            .append("\" data-true=\"").append(t).append("\" data-predicted=\"").append(p).append("\" data-count=\"")
            .append(count).append("\"><title>true ").append(t).append(", predicted ").append(p).append(": ").append(count)
            .append("</title></rect>");
        if (count > 0) {
          h.append("<text class=\"count\" text-anchor=\"middle\" font-size=\"").append(num(font)).append("\" x=\"")
              .append(num(x + cell / 2)).append("\" y=\"").append(num(y + cell / 2 + font * 0.35)).append("\" fill=\"")
              .append(share > 0.55 ? "#ffffff" : "#1d2733").append("\">").append(count).append("</text>");
        }
        h.append('\n');
      }
    }
    h.append("</svg>\n");
    perClassTable(h);
    h.append("</section>\n");
  }

  /** Blue along the diagonal (right), red off it (wrong), as deep as the share of the row. */
  private static String shade(double share, boolean diagonal) {
    double s = Math.sqrt(share); // small shares stay visible
    int[] full = diagonal ? new int[] {31, 111, 180} : new int[] {200, 60, 50};
    int r = (int) Math.round(255 + (full[0] - 255) * s);
    int g = (int) Math.round(255 + (full[1] - 255) * s);
    int b = (int) Math.round(255 + (full[2] - 255) * s);
    return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
  }

  private void perClassTable(StringBuilder h) {
    int k = confusion.classes();
    h.append("<h3>Per class</h3><table class=\"perclass\"><thead><tr><th>class</th><th>precision</th><th>recall</th>")
        .append("<th>F1</th><th>support</th></tr></thead><tbody>\n");
    double p = 0;
    double r = 0;
    double f = 0;
    long right = 0;
    for (int c = 0; c < k; c++) {
      h.append("<tr><td>").append(c).append("</td><td>").append(fixed(confusion.precision(c))).append("</td><td>")
          .append(fixed(confusion.recall(c))).append("</td><td>").append(fixed(confusion.f1(c))).append("</td><td>")
          .append(confusion.support(c)).append("</td></tr>\n");
      p += confusion.precision(c);
      r += confusion.recall(c);
      f += confusion.f1(c);
      right += confusion.count(c, c);
    }
    long total = confusion.total();
    h.append("</tbody><tfoot><tr><td>macro average</td><td>").append(fixed(p / k)).append("</td><td>")
        .append(fixed(r / k)).append("</td><td>").append(fixed(f / k)).append("</td><td>").append(total)
        .append("</td></tr><tr><td>accuracy</td><td colspan=\"3\">")
        .append(fixed(total == 0 ? 0 : (double) right / total)).append("</td><td>").append(total)
        .append("</td></tr></tfoot></table>\n");
  }

  private void timingSection(StringBuilder h) {
    if (timing == null) return;
    double seconds = timing.trainingSeconds();
    h.append("<section id=\"timing\"><h2>Timing</h2><table class=\"kv\"><tbody>\n");
    row(h, "time to the first step", String.format(Locale.ROOT, "%.2f s", timing.secondsToFirstStep()));
    row(h, "training (epochs, validation included)", String.format(Locale.ROOT, "%.2f s", seconds));
    row(h, "steps", Long.toString(timing.steps()));
    row(h, "steps/s", seconds > 0 ? String.format(Locale.ROOT, "%.1f", timing.steps() / seconds) : "-");
    row(h, "samples/s", seconds > 0 ? String.format(Locale.ROOT, "%.0f", timing.samples() / seconds) : "-");
    h.append("</tbody></table></section>\n");
  }

  private void reproduceSection(StringBuilder h) {
    if (commandLine == null && seed == null) return;
    h.append("<section id=\"reproduce\"><h2>Reproduce</h2>");
    if (commandLine != null) h.append("<pre class=\"command\">").append(text(commandLine)).append("</pre>");
    if (seed != null) h.append("<p>seed <code>").append(seed).append("</code></p>");
    h.append("</section>\n");
  }

  private static void row(StringBuilder h, String key, String value) {
    h.append("<tr><th>").append(text(key)).append("</th><td>").append(text(value)).append("</td></tr>\n");
  }

  // ---------------------------------------------------------------- helpers

  /** A y axis: a range widened to round numbers, with its ticks. */
  record Axis(double lo, double hi, double step) {
    static Axis nice(double min, double max) {
      if (min == max) {
        double pad = min == 0 ? 1 : Math.abs(min) * 0.05;
        min -= pad;
        max += pad;
      }
      double step = niceStep((max - min) / 5);
      double lo = Math.floor(min / step) * step;
      double hi = Math.ceil(max / step) * step;
      if (hi <= lo) hi = lo + step;
      return new Axis(lo, hi, step);
    }

    private static double niceStep(double rough) {
      double magnitude = Math.pow(10, Math.floor(Math.log10(rough)));
      double f = rough / magnitude;
      double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
      return nice * magnitude;
    }

    List<Double> ticks() {
      List<Double> ticks = new ArrayList<>();
      long n = Math.round((hi - lo) / step);
      for (long i = 0; i <= n; i++) ticks.add(lo + i * step);
      return ticks;
    }

    String label(double tick) {
      int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) + 1e-9) + (niceFraction() ? 1 : 0));
      return String.format(Locale.ROOT, "%." + Math.min(decimals, 8) + "f", tick);
    }

    /** A step of 2.5 times a power of ten needs one decimal more than its magnitude. */
    private boolean niceFraction() {
      double f = step / Math.pow(10, Math.floor(Math.log10(step)));
      return Math.abs(f - 2.5) < 1e-9;
    }
  }

  private static String fixed(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  /** A coordinate with two decimals. */
  static String num(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /**
   * {@code s} as XML text or attribute value: markup characters escaped, and characters XML 1.0
   * cannot hold (most control characters, lone surrogates) replaced by U+FFFD.
   */
  static String text(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
            out.append(c).append(s.charAt(++i));
          } else if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || Character.isSurrogate(c)
              || c == 0xFFFE || c == 0xFFFF) {
            out.append('\uFFFD');
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static final String CSS = String.join("\n",
      ".kept{stroke:#555;stroke-width:1.2;stroke-dasharray:5 4}",
      "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#1d2733;"
          + "background:#f6f7f9;margin:0 auto;max-width:1200px;padding:24px 24px 48px}",
      "header h1{margin:0;font-size:28px}",
      ".sub{margin:2px 0 0;color:#5b6673}",
      "h2{font-size:19px;margin:28px 0 10px;border-bottom:1px solid #dde1e6;padding-bottom:4px}",
      "h3{font-size:16px;margin:18px 0 8px}",
      ".cards{display:flex;flex-wrap:wrap;gap:12px}",
      ".card{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:10px 16px;min-width:150px}",
      ".card .name{color:#5b6673;font-size:13px}",
      ".card .value{font-size:26px;font-weight:600;color:" + TRAIN_COLOUR + "}",
      ".card .val{font-size:14px;color:" + VALIDATION_COLOUR + "}",
      ".charts{display:flex;flex-wrap:wrap;gap:16px}",
      "figure.chart{margin:0;background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:6px}",
      "svg text{font-family:inherit}",
      ".ctitle{font-size:15px;font-weight:600;fill:#1d2733}",
      ".tick{font-size:11px;fill:#5b6673}",
      ".label{font-size:12px;fill:#1d2733}",
      ".legend{font-size:12px;fill:#1d2733}",
      ".grid{stroke:#e6e9ed;stroke-width:1}",
      ".axis{stroke:#8a949f;stroke-width:1}",
      ".series{stroke-width:2.2}",
      ".heatmap{background:#fff;border:1px solid #dde1e6;border-radius:8px}",
      ".cell{stroke:#ffffff;stroke-width:1}",
      "table{border-collapse:collapse;background:#fff;border:1px solid #dde1e6}",
      "th,td{padding:4px 12px;text-align:right;border-bottom:1px solid #eef0f2;font-variant-numeric:tabular-nums}",
      "table.kv th{text-align:left;font-weight:normal;color:#5b6673}",
      "thead th{background:#eef1f4}",
      "tfoot td{font-weight:600}",
      "td:first-child,th:first-child{text-align:left}",
      "pre{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:10px 14px;overflow-x:auto;"
          + "font-family:ui-monospace,Menlo,Consolas,'DejaVu Sans Mono',monospace;font-size:13px}",
      "pre.command{white-space:pre-wrap;word-break:break-all}",
      ".note{color:#5b6673;font-size:13px;margin:0 0 8px}");
}
