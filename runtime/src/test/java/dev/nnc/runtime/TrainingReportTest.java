package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class TrainingReportTest {
  private static final String SVG = "http://www.w3.org/2000/svg";
  private static final String XHTML = "http://www.w3.org/1999/xhtml";

  @TempDir Path dir;

  /** Three epochs of Keras-ordered logs with made-up values, some small enough for scientific notation. */
  static History history() {
    History h = new History();
    double[][] rows = {{0.81, 0.52, 0.88, 0.33}, {0.9, 0.2001, 0.93, 0.19}, {0.97, 0.0004, 0.95, 0.15}};
    for (double[] r : rows) {
      Map<String, Double> logs = new LinkedHashMap<>();
      logs.put("accuracy", r[0]);
      logs.put("loss", r[1]);
      logs.put("val_accuracy", r[2]);
      logs.put("val_loss", r[3]);
      h.add(logs);
    }
    return h;
  }

  static Document parse(String xhtml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
    factory.setExpandEntityReferences(false);
    return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xhtml.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Every value of the history is one point of its chart, its data-value is the value, and its
   * coordinates follow from the chart's scale; the checks a test of a whole run repeats.
   */
  static void assertPointsAreTheHistory(Document doc, History history) {
    Map<String, Integer> pointsPerSeries = new HashMap<>();
    NodeList charts = doc.getElementsByTagNameNS(SVG, "svg");
    int chartCount = 0;
    for (int i = 0; i < charts.getLength(); i++) {
      Element chart = (Element) charts.item(i);
      if (!chart.hasAttribute("data-metric")) continue;
      chartCount++;
      int epochs = Integer.parseInt(chart.getAttribute("data-epochs"));
      double lo = Double.parseDouble(chart.getAttribute("data-lo"));
      double hi = Double.parseDouble(chart.getAttribute("data-hi"));
      double x0 = Double.parseDouble(chart.getAttribute("data-x0"));
      double x1 = Double.parseDouble(chart.getAttribute("data-x1"));
      double y0 = Double.parseDouble(chart.getAttribute("data-y0"));
      double y1 = Double.parseDouble(chart.getAttribute("data-y1"));
      assertEquals(history.epochs(), epochs);
      NodeList circles = chart.getElementsByTagNameNS(SVG, "circle");
      for (int c = 0; c < circles.getLength(); c++) {
        Element point = (Element) circles.item(c);
        String series = point.getAttribute("data-series");
        String metric = chart.getAttribute("data-metric");
        assertTrue(series.equals(metric) || series.equals("val_" + metric), series + " in the chart of " + metric);
        int epoch = Integer.parseInt(point.getAttribute("data-epoch"));
        double value = Double.parseDouble(point.getAttribute("data-value"));
        assertEquals(history.get(series).get(epoch - 1), value, 0.0, series + " epoch " + epoch);
        double x = epochs == 1 ? (x0 + x1) / 2 : x0 + (epoch - 1) * (x1 - x0) / (epochs - 1);
        double y = y0 + (value - lo) * (y1 - y0) / (hi - lo);
        assertEquals(x, Double.parseDouble(point.getAttribute("cx")), 0.006, "x of " + series + " epoch " + epoch);
        assertEquals(y, Double.parseDouble(point.getAttribute("cy")), 0.006, "y of " + series + " epoch " + epoch);
        assertTrue(value >= lo && value <= hi, "inside the axis");
        pointsPerSeries.merge(series, 1, Integer::sum);
      }
    }
    Map<String, Integer> expected = new HashMap<>();
    for (String key : history.keys()) expected.put(key, history.epochs());
    assertEquals(expected, pointsPerSeries, "one point per epoch of every series");
    assertEquals(history.keys().stream().filter(k -> !k.startsWith("val_")).count(), chartCount);
  }

  @Test
  void theFileParsesAndEveryPlottedPointIsTheHistorysValue() throws Exception {
    History history = history();
    ConfusionMatrix matrix = new ConfusionMatrix(3);
    int[][] counts = {{5, 1, 0}, {0, 4, 2}, {1, 0, 7}};
    for (int t = 0; t < 3; t++) for (int p = 0; p < 3; p++) for (int n = 0; n < counts[t][p]; n++) matrix.add(t, p);
    Path file = dir.resolve("run.html");
    TrainingReport.of(history).model("Blobs", "Model: \"Blobs\"\n dense_1 (Dense)  (None, 3)  9\n")
        .confusion(matrix, "validation set, 20 samples")
        .timing(new TrainingReport.Timing(1.25, 2.0, 30, 960))
        .reproduce("nnc train blobs.nn --epochs 3 --seed 7", 7)
        .write(file);
    Document doc = parse(Files.readString(file));
    assertEquals(XHTML, doc.getDocumentElement().getNamespaceURI());
    assertPointsAreTheHistory(doc, history);

    // the heat map's cells hold the counts
    NodeList rects = doc.getElementsByTagNameNS(SVG, "rect");
    int cells = 0;
    for (int i = 0; i < rects.getLength(); i++) {
      Element cell = (Element) rects.item(i);
      if (!cell.hasAttribute("data-count")) continue;
      cells++;
      int t = Integer.parseInt(cell.getAttribute("data-true"));
      int p = Integer.parseInt(cell.getAttribute("data-predicted"));
      assertEquals(counts[t][p], Long.parseLong(cell.getAttribute("data-count")));
    }
    assertEquals(9, cells);
    String text = doc.getDocumentElement().getTextContent();
    // class 1: precision 4/5, recall 4/6, F1 2*0.8*0.6667/1.4667
    assertTrue(text.contains("10.80000.66670.72736"), "per-class row of class 1 in: " + text);
    assertTrue(text.contains("steps/s15.0"), text);
    assertTrue(text.contains("samples/s480"), text);
    assertTrue(text.contains("nnc train blobs.nn --epochs 3 --seed 7"), text);
    assertTrue(text.contains("4.0000e-04"), "values print as Keras prints them: " + text);
  }

  /** After early stopping restored an earlier epoch's weights, the glance shows that epoch and every chart marks it. */
  @Test
  void theEpochWhoseWeightsWereKeptIsTheOneShown() throws Exception {
    History history = history();
    Document doc = parse(TrainingReport.of(history).weightsFrom(2, "restored by early stopping").toXhtml());
    String text = "";
    NodeList sections = doc.getElementsByTagNameNS(XHTML, "section");
    for (int i = 0; i < sections.getLength(); i++) {
      Element section = (Element) sections.item(i);
      if (section.getAttribute("id").equals("glance")) text = section.getTextContent();
    }
    assertTrue(text.startsWith("The weights of epoch 2restored by early stopping; training ran 3 epochs"), text);
    assertTrue(text.contains(LogFormat.value(history.get("loss").get(1))), text);
    assertFalse(text.contains(LogFormat.value(history.get("loss").get(2))), text);
    NodeList lines = doc.getElementsByTagNameNS(SVG, "line");
    int marks = 0;
    for (int i = 0; i < lines.getLength(); i++) {
      Element line = (Element) lines.item(i);
      if (line.hasAttribute("data-kept-epoch")) {
        assertEquals("2", line.getAttribute("data-kept-epoch"));
        marks++;
      }
    }
    assertEquals(2, marks, "one mark per chart (loss and accuracy)");
    assertPointsAreTheHistory(doc, history);
  }

  @Test
  void isSelfContained() {
    String html = TrainingReport.of(history()).toXhtml();
    for (String external : List.of("<script", "href=", "src=", "url(", "@import", "@font-face")) {
      assertFalse(html.contains(external), external);
    }
  }

  @Test
  void escapesEveryTextFromOutside() throws Exception {
    String hostile = "M<script>alert('x')</script>&amp;\"\u0001\uD800";
    String html = TrainingReport.of(history()).model(hostile, hostile)
        .reproduce("nnc train '" + hostile + ".nn'", 1).confusion(new ConfusionMatrix(2), hostile).toXhtml();
    assertFalse(html.contains("<script"));
    Document doc = parse(html); // well-formed despite the control character and the lone surrogate
    String cleaned = "M<script>alert('x')</script>&amp;\"\uFFFD\uFFFD";
    assertEquals(cleaned, doc.getElementsByTagNameNS(XHTML, "h1").item(0).getTextContent());
    assertTrue(doc.getDocumentElement().getTextContent().contains("nnc train '" + cleaned + ".nn'"));
  }

  @Test
  void oneEpochAndFlatSeriesStillPlot() throws Exception {
    History h = new History();
    h.add(Map.of("loss", 0.5));
    assertPointsAreTheHistory(parse(TrainingReport.of(h).toXhtml()), h);
    History flat = new History();
    flat.add(Map.of("loss", 0.0));
    flat.add(Map.of("loss", 0.0));
    assertPointsAreTheHistory(parse(TrainingReport.of(flat).toXhtml()), flat);
  }

  @Test
  void confusionMatrixOfAModelsPredictions() {
    SoftmaxRegression model = new SoftmaxRegression(1, 3, 4, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0f);
    model.initialize(1);
    // zero weights predict class 0 for every sample (argmax of equal outputs is the first)
    java.util.Arrays.fill(model.kernel, 0);
    java.util.Arrays.fill(model.bias, 0);
    Dataset data = Dataset.of(new float[6], 1, new float[] {0, 1, 2, 2, 1, 0}, 1);
    ConfusionMatrix m = ConfusionMatrix.of(model, data, 4).orElseThrow();
    assertEquals(2, m.count(0, 0));
    assertEquals(2, m.count(1, 0));
    assertEquals(2, m.count(2, 0));
    assertEquals(6, m.total());
    assertEquals(1 / 3.0, m.precision(0), 1e-12);
    assertEquals(1.0, m.recall(0), 1e-12);
    assertEquals(0.5, m.f1(0), 1e-12);
    assertEquals(0.0, m.f1(1));
    assertTrue(ConfusionMatrix.of(new SoftmaxRegression(1, 3, 4, LossKind.MEAN_SQUARED_ERROR, 0f), data, 4).isEmpty());
  }
}
