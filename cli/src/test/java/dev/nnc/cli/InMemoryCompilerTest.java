package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.runtime.LossKind;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class InMemoryCompilerTest {

  @Test
  void compilesAgainstTheRuntimeAndLoadsNestedClassesToo() throws Exception {
    String code = """
        package demo;

        public final class Probe implements java.util.function.Supplier<Object> {
          static final class Inner {
            static Object loss() { return dev.nnc.runtime.LossKind.MEAN_SQUARED_ERROR; }
          }

          @Override
          public Object get() { return Inner.loss(); }
        }
        """;

    Class<?> probe = InMemoryCompiler.forRuntime().compileAndLoad("demo.Probe", code);

    @SuppressWarnings("unchecked")
    Supplier<Object> instance = (Supplier<Object>) probe.getConstructor().newInstance();
    // The same LossKind class as this test's: the generated class links against the caller's runtime.
    assertEquals(LossKind.MEAN_SQUARED_ERROR, instance.get());
    assertNotSame(getClass().getClassLoader(), probe.getClassLoader());
  }

  @Test
  void reportsJavacErrorsWithTheirLine() {
    String code = "package demo;\n\npublic class Broken {\n  int x = \"not an int\";\n}\n";

    InMemoryCompiler.CompilationFailedException failure = assertThrows(InMemoryCompiler.CompilationFailedException.class,
        () -> InMemoryCompiler.forRuntime().compileAndLoad("demo.Broken", code));

    assertTrue(failure.getMessage().startsWith("demo/Broken.java:4: "), failure.getMessage());
    assertTrue(failure.getMessage().contains("incompatible types"), failure.getMessage());
  }
}
