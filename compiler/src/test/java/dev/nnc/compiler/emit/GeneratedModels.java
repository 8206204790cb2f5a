package dev.nnc.compiler.emit;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.nnc.compiler.CompileOptions;
import dev.nnc.compiler.GeneratedSource;
import dev.nnc.compiler.Kernels;
import dev.nnc.compiler.NncCompiler;
import dev.nnc.compiler.diag.SourceFile;
import dev.nnc.compiler.model.CheckedModel;
import dev.nnc.runtime.Model;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaFileObject;

/** Compiles nnc sources to Java, Java to classes (javac via compile-testing, -Xlint:all), and loads them. */
final class GeneratedModels {
  static final String PACKAGE = "generated.test";

  private GeneratedModels() {}

  /**
   * Fails if {@code code} names a float vector shape other than the preferred one (its kernels' own).
   * A second shape (a 128-bit zero test, say) makes the Vector API's shared fallback code see two vector
   * classes, after which the optimizing compiler often compiled a kernel with every vector boxed, many
   * times slower (see the generator's {@code SparseInputIndex.floatBlockBits}).
   */
  static void assertOneFloatVectorShape(String code) {
    Matcher other = Pattern.compile("FloatVector\\.SPECIES_(?!PREFERRED)\\w*").matcher(code);
    assertFalse(other.find(), () -> "a second float vector shape: " + other.group());
  }

  /** A source that must check cleanly, compiled to Java with the scalar kernels. */
  static dev.nnc.compiler.Compilation compile(String fileName, String text) {
    return compile(fileName, text, Kernels.SCALAR);
  }

  static dev.nnc.compiler.Compilation compile(String fileName, String text, Kernels kernels) {
    dev.nnc.compiler.Compilation compilation =
        NncCompiler.compile(SourceFile.of(fileName, text), CompileOptions.inPackage(PACKAGE).withKernels(kernels));
    if (compilation.hasErrors()) {
      throw new AssertionError("unexpected diagnostics:\n" + compilation.renderDiagnostics());
    }
    return compilation;
  }

  static CheckedModel checked(String fileName, String text) {
    return compile(fileName, text).model().orElseThrow();
  }

  /**
   * javac over the generated source (and {@code more}, a harness, say), with every lint on; asserts it
   * compiled without a warning (but javac's fixed notice that the Vector API module is incubating, for
   * the vector kernels).
   */
  static Compilation javac(GeneratedSource source, JavaFileObject... more) {
    boolean vector = source.code().contains("jdk.incubator.vector");
    List<String> options = vector
        ? List.of("-Xlint:all", "--add-modules", Kernels.VECTOR_MODULE)
        : List.of("-Xlint:all", "--release", "17");
    Compilation compilation = Compiler.javac()
        .withOptions(options)
        .withClasspath(List.of(runtimeClasses()))
        .compile(java.util.stream.Stream.concat(
            java.util.stream.Stream.of(JavaFileObjects.forSourceString(source.qualifiedName(), source.code())),
            java.util.Arrays.stream(more)).toList());
    if (vector) {
      assertThat(compilation).succeeded();
      for (var warning : compilation.warnings()) {
        String message = warning.getMessage(java.util.Locale.ROOT);
        if (!message.contains("incubating")) throw new AssertionError("javac warned: " + message);
      }
    } else {
      assertThat(compilation).succeededWithoutWarnings();
    }
    return compilation;
  }

  /** A fresh instance of the model that {@code text} describes. */
  static Model load(String fileName, String text) {
    return load(fileName, text, Kernels.SCALAR);
  }

  static Model load(String fileName, String text, Kernels kernels) {
    return instantiate(compile(fileName, text, kernels).generated().orElseThrow());
  }

  static Model instantiate(GeneratedSource source) {
    Map<String, byte[]> classes = classesByName(javac(source));
    ClassLoader loader = new ClassLoader(GeneratedModels.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) throw new ClassNotFoundException(name);
        return defineClass(name, bytes, 0, bytes.length);
      }
    };
    try {
      return (Model) loader.loadClass(source.qualifiedName()).getConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** The class bytes of every class compiled into {@link #PACKAGE}, by binary name ({@code generated.test.MnistModel$Workspace}). */
  static Map<String, byte[]> classesByName(Compilation compilation) {
    Map<String, byte[]> classes = new HashMap<>();
    for (JavaFileObject file : compilation.generatedFiles()) {
      if (file.getKind() != JavaFileObject.Kind.CLASS) continue;
      String path = file.toUri().getPath();
      String name = path.substring(path.indexOf(PACKAGE.replace('.', '/')), path.length() - ".class".length()).replace('/', '.');
      try (InputStream in = file.openInputStream()) {
        classes.put(name, in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return classes;
  }

  /** The class bytes of every compiled class, by binary name. */
  static Map<String, byte[]> classBytes(Compilation compilation) {
    Map<String, byte[]> classes = new HashMap<>();
    for (JavaFileObject file : compilation.generatedFiles()) {
      if (file.getKind() != JavaFileObject.Kind.CLASS) continue;
      try (InputStream in = file.openInputStream()) {
        classes.put(file.getName(), in.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return classes;
  }

  /** The generated class's own gradient accessor (not part of the Model interface). */
  static float[] gradient(Model model, String name, int size) {
    float[] g = new float[size];
    try {
      model.getClass().getMethod("readGradient", String.class, float[].class).invoke(model, name, g);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
    return g;
  }

  /** Writes every class {@code compilation} made into {@link #PACKAGE} under {@code folder}, as a class path; returns it. */
  static Path writeClasses(Compilation compilation, Path folder) throws IOException {
    Path classes = Files.createDirectories(folder.resolve("classes"));
    for (Map.Entry<String, byte[]> e : classesByName(compilation).entrySet()) {
      Path file = classes.resolve(e.getKey().replace('.', '/') + ".class");
      Files.createDirectories(file.getParent());
      Files.write(file, e.getValue());
    }
    return classes;
  }

  /** This JVM's {@code java} command. */
  static String javaCommand() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** What {@code command} printed (standard output and error together); fails unless it exits with 0. */
  static String run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String printed = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), printed);
    return printed;
  }

  /** Where the runtime's classes are: the class path a generated class needs. */
  static File runtimeClasses() {
    try {
      return new File(Model.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }
}
