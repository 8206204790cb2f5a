package dev.nnc.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnc.runtime.FitOptions;
import dev.nnc.runtime.Model;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generated class carries the source's metrics, and fit's defaults take them. */
class MetricsEmitTest {

  @Test
  void theClassCarriesTheMetricsUnderTheirKerasNames() {
    Model binary = GeneratedModels.load("b.nn",
        "input 3; dense 1 sigmoid; loss binary_ce; metrics auc, acc, precision, mean_absolute_error;");
    assertEquals(List.of("auc", "accuracy", "precision", "mae"), binary.metrics());
    assertEquals(binary.metrics(), FitOptions.defaults(binary).metrics());
  }

  @Test
  void withoutAMetricsStatementOnlyTheLossIsTracked() {
    Model regression = GeneratedModels.load("r.nn", "input 3; dense 2; loss mse;");
    assertEquals(List.of(), regression.metrics());
    Model classifier = GeneratedModels.load("c.nn", "input 3; dense 2 softmax; loss sparse_ce;");
    assertEquals(List.of(), classifier.metrics());
  }
}
