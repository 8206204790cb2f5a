package dev.nnc.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.compiler.diag.Diagnostic;
import dev.nnc.compiler.diag.SourceFile;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The facade: the stages chained, and what only the facade can know (the caller's batch size). */
class NncCompilerTest {

  @Test
  void compilesTheMnistModelToOneClassNamedAfterIt() {
    Compilation c = NncCompiler.compile(SourceFile.of("mnist.nn",
        "input 784; dense 512 relu; dense 10 softmax; loss sparse_ce; optimizer rmsprop; train batch 128 epochs 5;"),
        CompileOptions.inPackage("com.example"));
    assertFalse(c.hasErrors(), c.renderDiagnostics());
    GeneratedSource g = c.generated().orElseThrow();
    assertEquals("com.example.MnistModel", g.qualifiedName());
    assertEquals("com/example/MnistModel.java", g.relativePath());
    assertEquals(407_050, c.model().orElseThrow().parameterCount());
    assertTrue(g.code().contains("public static final int MAX_BATCH = 128;"));
  }

  @Test
  void theCallersBatchSizeReplacesTheSources() {
    Compilation c = NncCompiler.compile(SourceFile.of("m.nn", "input 4; dense 2 softmax; loss ce; train batch 8;"),
        CompileOptions.inPackage("").withBatchSize(30));
    assertTrue(c.generated().orElseThrow().code().contains("public static final int MAX_BATCH = 30;"));
    assertTrue(c.generated().orElseThrow().code().contains("private static final int ROWS = 32;"), "rounded up to the row block");
  }

  @Test
  void aBatchWhoseWorkspaceCannotBeAnArrayIsADiagnosticNotACrash() {
    SourceFile source = SourceFile.of("m.nn", "input 30000; dense 100; loss mse; train batch 100000;");
    Compilation c = NncCompiler.compile(source, CompileOptions.inPackage(""));
    assertTrue(c.generated().isEmpty());
    assertEquals(List.of("m.nn:1:1: error: a batch of 100000 samples of input 30000 values needs 3000000000 floats,"
        + " more than a Java array can hold (2147483639); use a smaller batch [size-too-large]"),
        c.diagnostics().stream().map(Diagnostic::headline).toList());

    Compilation overridden = NncCompiler.compile(SourceFile.of("m.nn", "input 1;\ndense 600000000 (use_bias = false);\nloss mse;"),
        CompileOptions.inPackage("").withBatchSize(4));
    assertTrue(overridden.hasErrors());
    assertTrue(overridden.diagnostics().get(0).headline().startsWith("m.nn:2:1: error: a batch of 4 samples of dense_1's 600000000 values"),
        overridden.diagnostics().get(0).headline());
  }

  @Test
  void checkReportsEveryProblemAndGeneratesNothing() {
    Compilation c = NncCompiler.check(SourceFile.of("bad.nn", "input 784;\ndense 512 rellu;\ndense 10 softmax;\nloss sparse_cee;\n"));
    assertTrue(c.hasErrors());
    assertTrue(c.generated().isEmpty());
    assertEquals(2, c.diagnostics().size(), c.renderDiagnostics());
    assertTrue(c.renderDiagnostics().contains("bad.nn:2:11: error: unknown activation 'rellu' (did you mean 'relu'?) [unknown-activation]"),
        c.renderDiagnostics());
  }
}
