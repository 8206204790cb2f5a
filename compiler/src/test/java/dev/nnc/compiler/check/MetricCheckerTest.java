package dev.nnc.compiler.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnc.compiler.model.LossSpec;
import dev.nnc.runtime.LossKind;
import dev.nnc.runtime.Metric;
import org.junit.jupiter.api.Test;

/** The checker's metrics and which loss each fits are the runtime's, so a checked model always trains. */
class MetricCheckerTest {

  @Test
  void namesAreTheRuntimes() {
    assertEquals(Metric.NAMES, Vocabulary.METRICS.names());
  }

  @Test
  void everyMetricFitsTheLossesTheRuntimeAccepts() {
    for (String metric : Vocabulary.METRICS.names()) {
      for (LossSpec.Kind loss : LossSpec.Kind.values()) {
        boolean compilerAccepts = MetricChecker.fittingLosses(metric).contains(loss);
        String runtimeProblem = Metric.problem(metric, LossKind.valueOf(loss.name()));
        assertEquals(runtimeProblem == null, compilerAccepts, metric + " with " + loss + ": " + runtimeProblem);
      }
    }
  }
}
