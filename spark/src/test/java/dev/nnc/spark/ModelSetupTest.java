package dev.nnc.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nnc.compiler.Kernels;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Which kernels the executors get: the vector ones only where every JVM can run them. */
class ModelSetupTest {
  private static final String SOURCE = "input 4;\ndense 3 softmax;\nloss sparse_ce;\n";

  @Test
  void autoTakesTheScalarKernelsWhenAnExecutorLacksTheVectorModule() {
    assumeTrue(Kernels.bestAvailable() == Kernels.VECTOR, "this JVM lacks jdk.incubator.vector");
    ModelSetup setup = ModelSetup.of(SOURCE, "tiny.nn", null, "auto", OptionalInt.empty());
    assertEquals(Kernels.SCALAR, setup.codeFor(false).kernels());
    assertEquals(Kernels.VECTOR, setup.codeFor(true).kernels());
    assertEquals(4, setup.codeFor(true).newInstance().inputSize());
  }

  @Test
  void scalarIsScalarEverywhere() {
    ModelSetup setup = ModelSetup.of(SOURCE, "tiny.nn", null, "scalar", OptionalInt.empty());
    assertEquals(Kernels.SCALAR, setup.codeFor(true).kernels());
  }

  @Test
  void sourceAndClassAreExclusive() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ModelSetup.of(SOURCE, "tiny.nn", "com.acme.TinyModel", "auto", OptionalInt.empty()));
    assertEquals("set exactly one of modelSource and modelClass (both are set)", e.getMessage());
  }
}
