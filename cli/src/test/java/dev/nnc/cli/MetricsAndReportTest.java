package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.runtime.Evaluation;
import dev.nnc.runtime.Npy;
import dev.nnc.runtime.NpyArray;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** {@code nnc train --metrics} and {@code --report}, and the metrics that {@code train} and {@code eval} print. */
class MetricsAndReportTest {
  private static final String SVG = "http://www.w3.org/2000/svg";

  @TempDir
  Path dir;

  Path x;
  Path y;
  Path testX;
  Path testY;

  @BeforeEach
  void writeBlobs() {
    x = dir.resolve("x.npy");
    y = dir.resolve("y.npy");
    testX = dir.resolve("test_x.npy");
    testY = dir.resolve("test_y.npy");
    writeBlobs(x, y, 600, 1);
    writeBlobs(testX, testY, 150, 2);
  }

  /** Two overlapping blobs around (-1, -1) (class 0) and (1, 1) (class 1), so that a few points are wrong. */
  private static void writeBlobs(Path features, Path labels, int n, long seed) {
    Models.writeBlobs(features, labels, n, seed, 1, 0.9);
  }

  private Cli train(String source, String... more) throws Exception {
    Path model = Models.write(dir, "m.nn", source);
    List<String> args = new ArrayList<>(List.of("train", model.toString(), "--x", x.toString(), "--y", y.toString(),
        "--test-x", testX.toString(), "--test-y", testY.toString()));
    args.addAll(List.of(more));
    return Cli.run(args.toArray(String[]::new));
  }

  private static final String BINARY = """
      input 2;
      dense 8 relu;
      dense 1 sigmoid;
      loss binary_ce;
      optimizer adam(learning_rate = 0.01);
      metrics auc, accuracy, precision, recall;
      train batch 32 epochs 3 seed 7;
      """;

  private static final String REGRESSION = """
      input 2;
      dense 4 relu;
      dense 1;
      loss mse;
      optimizer adam(learning_rate = 0.01);
      train batch 32 epochs 2 seed 7;
      """;

  @Test
  void everyMetricOfTheSourceIsLoggedInKerasOrder() throws Exception {
    Cli run = train(BINARY, "--test-each-epoch");
    assertEquals(0, run.exitCode(), run::toString);
    Pattern epochLine = Pattern.compile("(?m)^19/19 \\S+ \\d+s \\d+[mu]?s/step - accuracy: [0-9.]{6} - auc: [0-9.]{6}"
        + " - loss: [0-9.]{6} - precision: [0-9.]{6} - recall: [0-9.]{6} - val_accuracy: [0-9.]{6} - val_auc: [0-9.]{6}"
        + " - val_loss: [0-9.]{6} - val_precision: [0-9.]{6} - val_recall: [0-9.]{6}$");
    assertTrue(epochLine.matcher(run.out()).find(), run::toString);
    assertTrue(Pattern.compile("(?m)^test_accuracy: [0-9.]{6} - test_auc: [0-9.]{6} - test_loss: [0-9.]{6}"
        + " - test_precision: [0-9.]{6} - test_recall: [0-9.]{6}$").matcher(run.out()).find(), run::toString);
  }

  @Test
  void aRegressionModelReportsNoAccuracy() throws Exception {
    Path regressionY = dir.resolve("ry.npy");
    Path regressionTestY = dir.resolve("rty.npy");
    Npy.write(regressionY, NpyArray.ofFloats(new int[] {600, 1}, new float[600]));
    Npy.write(regressionTestY, NpyArray.ofFloats(new int[] {150, 1}, new float[150]));
    y = regressionY;
    testY = regressionTestY;
    Cli plain = train(REGRESSION);
    assertEquals(0, plain.exitCode(), plain::toString);
    assertFalse(plain.out().contains("accuracy"), plain::toString);
    assertTrue(Pattern.compile("(?m)^test_loss: \\S+$").matcher(plain.out()).find(), plain::toString);

    Cli withMae = train(REGRESSION, "--metrics", "mae,mean_squared_error");
    assertEquals(0, withMae.exitCode(), withMae::toString);
    assertTrue(Pattern.compile("(?m)^test_loss: \\S+ - test_mae: \\S+ - test_mse: \\S+$").matcher(withMae.out()).find(),
        withMae::toString);
  }

  @Test
  void metricsThatDoNotFitAreUsageErrors() throws Exception {
    Cli misspelled = train(Models.BLOBS, "--metrics", "accuracy,presicion");
    assertEquals(2, misspelled.exitCode(), misspelled::toString);
    assertTrue(misspelled.err().startsWith("nnc train: --metrics: unknown metric 'presicion' (did you mean 'precision'?); the"
        + " metrics are accuracy, mae, mse, precision, recall, auc, top_k_categorical_accuracy,"
        + " sparse_top_k_categorical_accuracy\n"), misspelled::toString);
    Cli unfitting = train(Models.BLOBS, "--metrics", "auc");
    assertEquals(2, unfitting.exitCode(), unfitting::toString);
    assertTrue(unfitting.err().startsWith("nnc train: --metrics auc: metric 'auc' measures a binary classifier (loss"
        + " binary_crossentropy), not one trained with sparse_categorical_crossentropy\n"), unfitting::toString);
    assertFalse(unfitting.showsStackTrace(), unfitting::toString);
  }

  @Test
  void resultLinesPrintSmallValuesAsKeras() {
    assertEquals("test_accuracy: 0.9785 - test_loss: 3.2000e-05",
        Metrics.line("test_", new Evaluation(3.2e-5, Map.of("accuracy", 0.97851))));
    assertEquals("loss: 0.0000e+00 - mae: 0.0012", Metrics.line("", new Evaluation(0, Map.of("mae", 0.00121))));
  }

  @Test
  void theReportParsesAndItsPointsAreTheHistory() throws Exception {
    Path report = dir.resolve("out/run.html");
    Path history = dir.resolve("out/history.csv");
    Cli run = train(BINARY, "--report", report.toString(), "--history", history.toString());
    assertEquals(0, run.exitCode(), run::toString);
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(Files.readAllBytes(report)));

    // the history as the CSV has it: column -> values by epoch
    List<String> lines = List.of(Files.readString(history).split("\r\n"));
    String[] columns = lines.get(0).split(",");
    Map<String, List<Double>> csv = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",");
      for (int c = 1; c < columns.length; c++) csv.computeIfAbsent(columns[c], k -> new ArrayList<>()).add(Double.parseDouble(cells[c]));
    }
    Map<String, Integer> plotted = new HashMap<>();
    NodeList charts = doc.getElementsByTagNameNS(SVG, "svg");
    for (int i = 0; i < charts.getLength(); i++) {
      Element chart = (Element) charts.item(i);
      if (!chart.hasAttribute("data-metric")) continue;
      double lo = Double.parseDouble(chart.getAttribute("data-lo"));
      double hi = Double.parseDouble(chart.getAttribute("data-hi"));
      double y0 = Double.parseDouble(chart.getAttribute("data-y0"));
      double y1 = Double.parseDouble(chart.getAttribute("data-y1"));
      NodeList points = chart.getElementsByTagNameNS(SVG, "circle");
      for (int p = 0; p < points.getLength(); p++) {
        Element point = (Element) points.item(p);
        String series = point.getAttribute("data-series");
        int epoch = Integer.parseInt(point.getAttribute("data-epoch"));
        double value = Double.parseDouble(point.getAttribute("data-value"));
        assertEquals(csv.get(series).get(epoch - 1), value, 0.0, series + " epoch " + epoch);
        assertEquals(y0 + (value - lo) * (y1 - y0) / (hi - lo), Double.parseDouble(point.getAttribute("cy")), 0.006);
        plotted.merge(series, 1, Integer::sum);
      }
    }
    Map<String, Integer> expected = new HashMap<>();
    for (String column : csv.keySet()) expected.put(column, 3);
    assertEquals(expected, plotted, "every epoch of every series is a point");

    // the confusion matrix is the test set's, and its accuracy the test line's
    long total = 0;
    long right = 0;
    NodeList rects = doc.getElementsByTagNameNS(SVG, "rect");
    for (int i = 0; i < rects.getLength(); i++) {
      Element cell = (Element) rects.item(i);
      if (!cell.hasAttribute("data-count")) continue;
      long count = Long.parseLong(cell.getAttribute("data-count"));
      total += count;
      if (cell.getAttribute("data-true").equals(cell.getAttribute("data-predicted"))) right += count;
    }
    assertEquals(150, total);
    Matcher accuracy = Pattern.compile("(?m)^test_accuracy: ([0-9.]+)").matcher(run.out());
    assertTrue(accuracy.find(), run::toString);
    assertEquals(accuracy.group(1), String.format(java.util.Locale.ROOT, "%.4f", (float) right / total));

    String text = doc.getDocumentElement().getTextContent();
    assertTrue(text.contains("--seed 7"), "the seed is made explicit: " + text);
    assertTrue(text.contains("Total params: 33"), "the model summary: " + text);
    assertTrue(Pattern.compile("steps57\\s*steps/s").matcher(text).find(), "600 samples in batches of 32, 3 epochs: " + text);
    assertTrue(Pattern.compile("time to the first step[0-9]+\\.[0-9]{2} s").matcher(text).find(), text);
  }

  /** With a validation split, the confusion matrix is the split's: the last tenth of the 600 training samples (the test set has 150). */
  @Test
  void theReportsConfusionMatrixIsOnTheValidationSplitWhenThereIsOne() throws Exception {
    Path report = dir.resolve("split.html");
    Cli run = train(BINARY, "--validation-split", "0.1", "--report", report.toString());
    assertEquals(0, run.exitCode(), run::toString);
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(Files.readAllBytes(report)));
    long total = 0;
    NodeList rects = doc.getElementsByTagNameNS(SVG, "rect");
    for (int i = 0; i < rects.getLength(); i++) {
      Element cell = (Element) rects.item(i);
      if (cell.hasAttribute("data-count")) total += Long.parseLong(cell.getAttribute("data-count"));
    }
    assertEquals(60, total);
    String text = doc.getDocumentElement().getTextContent();
    assertTrue(text.contains("validation split (the last 60 of 600 training samples"), text);
  }

  @Test
  void reportAndHistoryMustBeTwoFiles() throws Exception {
    Path same = dir.resolve("same");
    Cli run = train(BINARY, "--report", same.toString(), "--history", same.toString());
    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(run.err().startsWith("nnc train: --history and --report name the same file, " + same + "; name two files\n"),
        run::toString);
  }
}
