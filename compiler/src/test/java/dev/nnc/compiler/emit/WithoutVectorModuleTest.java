package dev.nnc.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.nnc.compiler.Kernels;
import dev.nnc.runtime.Model;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A vector-kernel class on a JVM without the Vector API module: it loads (its kernels, the only
 * code that names a vector type, sit in a nested class that is never loaded there), and its
 * constructor says in one line which JVM option to add, instead of a NoClassDefFoundError.
 */
class WithoutVectorModuleTest {
  private static final String PROBE = """
      package generated.test;

      public final class Probe {
        public static void main(String[] args) {
          System.out.println("inputs " + ProbeModel.INPUT_SIZE);
          try {
            new ProbeModel();
            System.out.println("constructed");
          } catch (UnsupportedOperationException e) {
            System.out.println(e.getMessage());
          }
        }
      }
      """;

  @Test
  void theClassLoadsAndItsConstructorNamesTheOptionToAdd(@TempDir Path classes) throws Exception {
    var generated = GeneratedModels.compile("probe.nn",
        "input 40; dense 64 relu; dense 10 softmax; loss sparse_ce;", Kernels.VECTOR).generated().orElseThrow();
    Compilation compilation = com.google.testing.compile.Compiler.javac()
        .withOptions("--add-modules", Kernels.VECTOR_MODULE)
        .withClasspath(List.of(runtimeClasses()))
        .compile(com.google.testing.compile.JavaFileObjects.forSourceString(generated.qualifiedName(), generated.code()),
            com.google.testing.compile.JavaFileObjects.forSourceString("generated.test.Probe", PROBE));
    com.google.testing.compile.CompilationSubject.assertThat(compilation).succeeded();
    for (JavaFileObject file : compilation.generatedFiles()) {
      if (file.getKind() != JavaFileObject.Kind.CLASS) continue;
      String path = file.toUri().getPath();
      Path target = classes.resolve(path.substring(path.indexOf("generated/test/")));
      Files.createDirectories(target.getParent());
      try (InputStream in = file.openInputStream()) {
        Files.write(target, in.readAllBytes());
      }
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-cp", classes + File.pathSeparator + runtimeClasses(), "generated.test.Probe")
        .redirectErrorStream(true).start();
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the probe JVM ended");
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), output);
    assertEquals("inputs 40" + System.lineSeparator() + "ProbeModel uses the Vector API kernels: start the JVM with"
        + " --add-modules jdk.incubator.vector (or generate the model with the scalar kernels)" + System.lineSeparator(), output);
  }

  private static File runtimeClasses() throws IOException {
    try {
      return new File(Model.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IOException(e);
    }
  }
}
