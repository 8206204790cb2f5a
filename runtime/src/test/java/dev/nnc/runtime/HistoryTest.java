package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {
  @TempDir Path dir;

  private static History twoEpochs(boolean accuracy, boolean validation) {
    History h = new History();
    h.add(epoch(accuracy, validation, 0.2636, 0.9254, 0.129, 0.9612));
    h.add(epoch(accuracy, validation, 0.1, 0.97, 0.0001, 1.0));
    return h;
  }

  /** One epoch's logs in Keras' order, with the accuracy and validation values only when tracked. */
  private static Map<String, Double> epoch(boolean accuracy, boolean validation, double loss, double acc,
      double valLoss, double valAcc) {
    Map<String, Double> logs = new java.util.LinkedHashMap<>();
    if (accuracy) logs.put("accuracy", acc);
    logs.put("loss", loss);
    if (validation && accuracy) logs.put("val_accuracy", valAcc);
    if (validation) logs.put("val_loss", valLoss);
    return logs;
  }

  @Test
  void writesKerasCsvLoggerText() throws IOException {
    // values are float32, printed as Python prints the float they widen to; epochs from 0; \r\n as csv.writer
    String expected = "epoch,accuracy,loss,val_accuracy,val_loss\r\n"
        + "0,0.9254000186920166,0.2635999917984009,0.9611999988555908,0.1289999932050705\r\n"
        + "1,0.9700000286102295,0.10000000149011612,1.0,9.999999747378752e-05\r\n";
    Path file = dir.resolve("h.csv");
    twoEpochs(true, true).writeCsv(file);
    assertEquals(expected, Files.readString(file));
  }

  @Test
  void leavesOutColumnsThatWereNotTracked() {
    assertEquals("epoch,loss\r\n0,0.2635999917984009\r\n1,0.10000000149011612\r\n", twoEpochs(false, false).toCsv());
    assertEquals("epoch,loss,val_loss\r\n0,0.2635999917984009,0.1289999932050705\r\n1,0.10000000149011612,9.999999747378752e-05\r\n",
        twoEpochs(false, true).toCsv());
  }

  @Test
  void exposesKerasHistoryDictionary() {
    Map<String, List<Double>> map = twoEpochs(true, true).asMap();
    assertEquals(List.of("accuracy", "loss", "val_accuracy", "val_loss"), List.copyOf(map.keySet()));
    assertEquals(List.of((double) 0.2636f, (double) 0.1f), map.get("loss"));
  }

  @Test
  void keepsNamedSeriesInTheirOrderAndWritesEveryKeySortedAsCsvLogger() {
    History h = new History();
    Map<String, Double> logs = new java.util.LinkedHashMap<>();
    logs.put("auc", 0.75);
    logs.put("loss", 0.5);
    logs.put("precision", 0.25);
    logs.put("val_auc", 0.5);
    logs.put("val_loss", 0.625);
    logs.put("val_precision", 0.125);
    h.add(logs);
    assertEquals(List.of("auc", "loss", "precision", "val_auc", "val_loss", "val_precision"), h.keys());
    assertEquals(List.of(0.25), h.get("precision"));
    assertEquals(List.of(), h.get("accuracy"));
    assertEquals(1, h.epochs());
    assertEquals("epoch,auc,loss,precision,val_auc,val_loss,val_precision\r\n0,0.75,0.5,0.25,0.5,0.625,0.125\r\n",
        h.toCsv());
  }

  @Test
  void refusesAnEpochWithOtherNames() {
    History h = twoEpochs(true, false);
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> h.add(Map.of("loss", 1.0)));
    assertEquals("epoch 3 logs [loss], not [accuracy, loss]", e.getMessage());
  }

  @Test
  void anEmptyHistoryKnowsItsColumns() {
    assertEquals("epoch,accuracy,loss\r\n", new History(List.of("accuracy", "loss")).toCsv());
  }

  @Test
  void printsFloatsAsPythonsRepr() {
    assertEquals("0.1", PythonFloat.repr(0.1));
    assertEquals("1e-05", PythonFloat.repr(1e-5));
    assertEquals("0.0001", PythonFloat.repr(1e-4));
    assertEquals("2.0", PythonFloat.repr(2));
    assertEquals("1e+16", PythonFloat.repr(1e16));
    assertEquals("1.2345678901234568e+17", PythonFloat.repr(1.2345678901234568e17));
    assertEquals("123.456", PythonFloat.repr(123.456));
    assertEquals("5e-324", PythonFloat.repr(Double.MIN_VALUE));
    assertEquals("0.3333333333333333", PythonFloat.repr(1 / 3.0));
    assertEquals("-0.5", PythonFloat.repr(-0.5));
    assertEquals("nan", PythonFloat.repr(Double.NaN));
    assertEquals("0.0", PythonFloat.repr(0));
    // JDK 17's Double.toString gives 2.0E-3 here but is not always shortest; the repr must be
    assertEquals("0.002", PythonFloat.repr(0.002));
  }
}
