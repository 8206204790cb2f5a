package dev.nnc.cli;

import dev.nnc.runtime.Model;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;

/**
 * Compiles Java source held in memory with the JDK's own javac ({@code javax.tools}) and loads the
 * classes in a fresh class loader, without touching the disk.
 *
 * <p>The class path javac sees is the location of the nnc runtime's classes (a jar, or a classes
 * folder in a build), taken from {@link Model}'s code source rather than {@code java.class.path}:
 * under {@code java -jar} or surefire the latter is a single jar whose manifest lists the real
 * class path, which javac does not follow. The loader's parent is the runtime's class loader, so a
 * loaded model is a {@link Model} to the caller.
 */
public final class InMemoryCompiler {

  /** Needed by generated code that uses the Vector API kernels. */
  private static final String VECTOR_MODULE = "jdk.incubator.vector";

  private final List<Path> classPath;
  private final ClassLoader parent;

  public InMemoryCompiler(List<Path> classPath, ClassLoader parent) {
    this.classPath = List.copyOf(classPath);
    this.parent = parent;
  }

  /** What javac compiles against: the folders and jars of its class path. */
  public List<Path> classPath() {
    return classPath;
  }

  /** A compiler whose sources may use the nnc runtime, and whose classes load next to it. */
  public static InMemoryCompiler forRuntime() {
    return new InMemoryCompiler(List.of(runtimeLocation()), Model.class.getClassLoader());
  }

  /** Where the runtime's classes are: its jar (the shaded {@code nnc.jar} when run from it) or classes folder. */
  static Path runtimeLocation() {
    CodeSource codeSource = Model.class.getProtectionDomain().getCodeSource();
    if (codeSource == null || codeSource.getLocation() == null) {
      throw new IllegalStateException("cannot tell where the nnc runtime's classes are (no code source for "
          + Model.class.getName() + ")");
    }
    try {
      return Path.of(codeSource.getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot use the nnc runtime's location " + codeSource.getLocation(), e);
    }
  }

  /** javac rejected the source; {@link #getMessage()} lists its errors. */
  public static final class CompilationFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    CompilationFailedException(String message) {
      super(message);
    }
  }

  /**
   * Compiles one compilation unit and loads the class named {@code qualifiedName} from it.
   *
   * @throws CompilationFailedException if javac reports an error
   * @throws IllegalStateException if this Java runtime has no compiler (a JRE, not a JDK)
   */
  public Class<?> compileAndLoad(String qualifiedName, String code) throws CompilationFailedException {
    Map<String, byte[]> classes = compile(Map.of(qualifiedName, code));
    try {
      return load(qualifiedName, classes);
    } catch (ClassNotFoundException e) {
      throw new CompilationFailedException("javac produced no class " + qualifiedName);
    }
  }

  /**
   * Loads and initializes the class {@code qualifiedName} from compiled classes (binary name to
   * bytecode, as {@link #compile} returns them), in a fresh class loader whose parent is this
   * compiler's.
   *
   * @throws ClassNotFoundException if {@code classes} does not hold it
   * @throws LinkageError if the bytecode is malformed or does not link against the classes here
   */
  public Class<?> load(String qualifiedName, Map<String, byte[]> classes) throws ClassNotFoundException {
    return Class.forName(qualifiedName, true, new BytesClassLoader(classes, parent));
  }

  /**
   * The options javac gets for these sources: everything besides the sources themselves that
   * decides what it writes (the JDK aside).
   *
   * @throws IllegalStateException if the sources use the Vector API and this JVM lacks its module
   */
  public List<String> options(Map<String, String> sourcesByClassName) {
    List<String> options = new ArrayList<>(List.of("-proc:none", "-Xlint:none", "-nowarn"));
    if (sourcesByClassName.values().stream().anyMatch(code -> code.contains(VECTOR_MODULE))) {
      // The class can only be loaded if this JVM has the module too; say so now, not as a NoClassDefFoundError later.
      if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
        throw new IllegalStateException("the generated code uses the Vector API: start Java with --add-modules "
            + VECTOR_MODULE + " (bin/nnc does)");
      }
      options.addAll(List.of("--add-modules", VECTOR_MODULE));
    }
    return options;
  }

  /**
   * Compiles the given compilation units (qualified class name to source) together.
   *
   * @return the bytecode of every class javac wrote, nested ones included, by binary name
   */
  public Map<String, byte[]> compile(Map<String, String> sourcesByClassName) throws CompilationFailedException {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("this Java runtime has no compiler (javax.tools); run nnc with a JDK, not a JRE");
    }
    List<JavaFileObject> units = new ArrayList<>();
    for (Map.Entry<String, String> source : sourcesByClassName.entrySet()) {
      units.add(new SourceInMemory(source.getKey(), source.getValue()));
    }
    List<String> options = options(sourcesByClassName);

    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Map<String, ByteArrayOutputStream> output = new HashMap<>();
    try (StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
      standard.setLocation(StandardLocation.CLASS_PATH, classPath.stream().map(Path::toFile).collect(Collectors.toList()));
      JavaFileManager fileManager = new ClassesInMemory(standard, output);
      boolean ok = javac.getTask(null, fileManager, diagnostics, options, null, units).call();
      if (!ok) {
        throw new CompilationFailedException(diagnostics.getDiagnostics().stream()
            .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
            .map(InMemoryCompiler::describe)
            .collect(Collectors.joining(System.lineSeparator())));
      }
    } catch (IOException e) {
      // Only the standard file manager's setLocation/close can throw; nothing is read from disk but the class path.
      throw new CompilationFailedException("javac could not use the class path " + classPath + ": " + e.getMessage());
    }
    Map<String, byte[]> classes = new HashMap<>();
    output.forEach((name, bytes) -> classes.put(name, bytes.toByteArray()));
    return classes;
  }

  private static String describe(Diagnostic<? extends JavaFileObject> d) {
    // The source's name is its URI path, "/demo/MnistModel.java"; javac would print it relative.
    String where = d.getSource() == null ? "" : d.getSource().getName().replaceFirst("^/", "") + ":" + d.getLineNumber() + ": ";
    return where + d.getMessage(Locale.ROOT);
  }

  /** A compilation unit whose text is a string. */
  private static final class SourceInMemory extends SimpleJavaFileObject {
    private final String code;

    SourceInMemory(String qualifiedName, String code) {
      super(URI.create("string:///" + qualifiedName.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
      this.code = code;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return code;
    }
  }

  /** A file manager that keeps the class files javac writes in a map instead of on disk. */
  private static final class ClassesInMemory extends ForwardingJavaFileManager<StandardJavaFileManager> {
    private final Map<String, ByteArrayOutputStream> output;

    ClassesInMemory(StandardJavaFileManager standard, Map<String, ByteArrayOutputStream> output) {
      super(standard);
      this.output = output;
    }

    @Override
    public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
      URI uri = URI.create("mem:///" + className.replace('.', '/') + kind.extension);
      return new SimpleJavaFileObject(uri, kind) {
        @Override
        public OutputStream openOutputStream() {
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          output.put(className, bytes);
          return bytes;
        }
      };
    }
  }

  /** Defines the compiled classes on demand; everything else comes from the parent. */
  private static final class BytesClassLoader extends ClassLoader {
    private final Map<String, byte[]> classes;

    BytesClassLoader(Map<String, byte[]> classes, ClassLoader parent) {
      super("nnc-generated", parent);
      this.classes = Map.copyOf(classes);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      byte[] bytes = classes.get(name);
      if (bytes == null) throw new ClassNotFoundException(name);
      return defineClass(name, bytes, 0, bytes.length);
    }
  }
}
