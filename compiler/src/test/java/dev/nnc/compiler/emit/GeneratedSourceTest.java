package dev.nnc.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.nnc.compiler.GeneratedSource;
import dev.nnc.compiler.Kernels;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The generated source itself: compiles without warnings, is deterministic, readable, and JIT-sized. */
class GeneratedSourceTest {
  static final String MNIST = String.join("\n",
      "# The MNIST classifier",
      "model Mnist {",
      "  input 784;",
      "  dense 512 relu;",
      "  dense 10 softmax;",
      "  loss sparse_categorical_crossentropy;",
      "  optimizer rmsprop;",
      "  metrics accuracy;",
      "  train batch 128 epochs 5 seed 42;",
      "}",
      "");

  /** HotSpot does not JIT-compile methods over this many bytes of bytecode (-XX:-DontCompileHugeMethods). */
  static final int HUGE_METHOD_LIMIT = 8000;

  @ParameterizedTest
  @EnumSource(Kernels.class)
  void mnistCompilesWithoutWarningsAndEveryMethodStaysJitSized(Kernels kernels) {
    GeneratedSource source = GeneratedModels.compile("mnist.nn", MNIST, kernels).generated().orElseThrow();
    assertEquals("generated.test.MnistModel", source.qualifiedName());
    assertMethodsBelowLimit(GeneratedModels.javac(source));
    GeneratedModels.assertOneFloatVectorShape(source.code());
  }

  @ParameterizedTest
  @EnumSource(Kernels.class)
  void wideAndDeepModelsStayJitSized(Kernels kernels) {
    String source = "input 3000; dense 2048 relu; dropout 0.5; dense 1024 tanh; dense 1024 sigmoid; dense 100 softmax;"
        + " loss ce; optimizer adam; train batch 256;";
    assertMethodsBelowLimit(GeneratedModels.javac(GeneratedModels.compile("wide.nn", source, kernels).generated().orElseThrow()));
  }

  @Test
  void sameSourceGivesByteIdenticalOutput() {
    String first = GeneratedModels.compile("mnist.nn", MNIST).generated().orElseThrow().code();
    String second = GeneratedModels.compile("mnist.nn", MNIST).generated().orElseThrow().code();
    assertEquals(first, second);
  }

  @Test
  void sourceIsReadableAndPointsAtTheModelLines() {
    String code = GeneratedModels.compile("mnist.nn", MNIST).generated().orElseThrow().code();
    assertTrue(code.startsWith("// generated from mnist.nn by nnc - do not edit\n"), code.substring(0, 80));
    assertTrue(code.contains("// dense_1: h = relu(x*W + b)   mnist.nn:4"), "layer comment with its source line");
    assertTrue(code.contains("// dense_2: h = softmax(x*W + b)   mnist.nn:5"));
    assertTrue(code.contains("407,050 trainable parameters"), "parameter count in the javadoc");
    assertTrue(code.contains("Not thread-safe"), "thread-safety in the javadoc");
    assertTrue(code.contains("public static final int MAX_BATCH = 128;"));
    assertTrue(code.chars().allMatch(c -> c < 128), "ASCII only, so any platform encoding compiles it");
    // No gradient with respect to the input images is computed.
    assertTrue(!code.contains("inputGrad"), "no input gradient buffer");
  }

  /**
   * The MNIST class with the vector kernels, kept under test so that any change to the generated
   * code shows in review. After an intended change, regenerate it with
   * {@code ./mvnw -pl compiler test -Dtest=GeneratedSourceTest -Dnnc.golden.update=true} and commit the file.
   */
  @Test
  void mnistVectorClassEqualsTheGoldenFile() throws java.io.IOException {
    String code = GeneratedModels.compile("mnist.nn", MNIST, Kernels.VECTOR).generated().orElseThrow().code();
    java.nio.file.Path golden = java.nio.file.Path.of("src/test/resources/golden/MnistModel.vector.java.txt");
    if (Boolean.getBoolean("nnc.golden.update")) {
      java.nio.file.Files.createDirectories(golden.getParent());
      java.nio.file.Files.writeString(golden, code);
    }
    assertEquals(java.nio.file.Files.readString(golden), code,
        "the generated MNIST class changed; if that was intended, regenerate " + golden + " (see this test's javadoc)");
  }

  private static void assertMethodsBelowLimit(Compilation compilation) {
    Map<String, byte[]> classes = GeneratedModels.classBytes(compilation);
    assertTrue(!classes.isEmpty());
    classes.forEach((name, bytes) -> ClassFileMethods.codeLengths(bytes).forEach((method, length) ->
        assertTrue(length < HUGE_METHOD_LIMIT, name + "." + method + " has " + length + " bytes of bytecode")));
  }
}
