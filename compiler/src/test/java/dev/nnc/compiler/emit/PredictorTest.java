package dev.nnc.compiler.emit;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static dev.nnc.compiler.emit.GeneratedModels.javaCommand;
import static dev.nnc.compiler.emit.GeneratedModels.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import dev.nnc.compiler.CompileOptions;
import dev.nnc.compiler.GeneratedPredictor;
import dev.nnc.compiler.Kernels;
import dev.nnc.compiler.NncCompiler;
import dev.nnc.compiler.model.CheckedModel;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.Trainer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The predictor of a trained model gives the trainer's {@code predict} outputs, with its Vector API
 * kernels (in this JVM, which has the module), with its plain Java ones, and in a JVM without the
 * module; it needs nothing but the JDK to compile; it refuses a missing or different weights file;
 * threads at once get the answers one thread gets.
 */
class PredictorTest {
  private static final String PACKAGE = GeneratedModels.PACKAGE;
  /** Float rounding: the kernels add in different orders. */
  private static final float TOLERANCE = 2e-5f;

  static Stream<Arguments> sources() {
    return Stream.of(
        // MNIST's input, 300 units: on 16 lanes two 8-vector panels (one sample takes them in one pass), 2 single
        // vectors and 12 columns; on 8 lanes four panels, 5 single vectors and 4 columns; dropout; a narrow softmax layer.
        Arguments.of("Mnistish", "input 784; dense 300 relu; dropout 0.3; dense 10 softmax; loss sparse_ce; train batch 16;"),
        // two wide layers, the second on the first's relu outputs: on 16 lanes three panels (a pass of two, then one)
        // and 6 columns, then one panel and 8 columns; a kernel of 0.6 MB, in an array of 2 MiB.
        Arguments.of("Deep", "input 400; dense 390 relu; dense 136 relu; dense 3 softmax; loss sparse_ce; train batch 16;"),
        // no bias, tanh after the sparse product, an activation layer, logits that the loss turns into sigmoid probabilities.
        Arguments.of("Logits", "input 37; dense 45 tanh (use_bias = false); activation relu; dense 33 sigmoid; dense 1; loss binary_ce; train batch 16;"),
        // a narrow layer straight on the input, then a wide one last, and mean squared error (no output activation).
        Arguments.of("Narrow", "input 21; dense 5 relu; dense 40; loss mse; train batch 16;"),
        // a wide softmax layer last, which the blocked kernel of the batch form ends with a whole row at a time.
        Arguments.of("WideSoftmax", "input 30; dense 50 relu; dense 40 softmax; loss sparse_ce; train batch 16;"),
        // narrow layers only: no wide layer, so no blocked batch form.
        Arguments.of("Small", "input 6; dense 8 relu; dense 3 softmax; loss sparse_ce; train batch 16;"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("sources")
  void vectorAndPlainKernelsGiveTheTrainersPredictions(String name, String source) throws Exception {
    Trained trained = train(name, source);
    for (Kernels kernels : Kernels.values()) {
      Class<?> type = load(compile(trained, kernels), trained.predictor(kernels), null);
      Object predictor = type.getConstructor().newInstance();
      assertEquals(kernels == Kernels.VECTOR, type.getMethod("usesVectorKernels").invoke(null), kernels.name());
      float[] batch = new float[trained.n * trained.outputs];
      type.getMethod("predict", float[].class, int.class, float[].class).invoke(predictor, trained.x, trained.n, batch);
      assertClose(trained.expected, batch, name + " " + kernels);

      Method single = type.getMethod("predict", float[].class);
      Method predictClass = type.getMethod("predictClass", float[].class);
      for (int i = 0; i < trained.n; i++) {
        float[] one = (float[]) single.invoke(predictor, (Object) sample(trained, i));
        for (int c = 0; c < trained.outputs; c++) assertEquals(batch[i * trained.outputs + c], one[c], "sample " + i);
        int expectedClass = trained.outputs == 1 ? (one[0] > 0.5f ? 1 : 0) : argmax(one);
        assertEquals(expectedClass, predictClass.invoke(predictor, (Object) sample(trained, i)));
      }

      // more samples than the batch form takes at once (BATCH_ROWS), not a multiple of it, and an odd number in
      // the last block, drawn at random from the trained ones (so that an output left over from an earlier
      // block of the same scratch is not the right one by chance): the same answers
      int many = 2 * PredictorEmitter.BATCH_ROWS + 5;
      int[] drawn = new java.util.SplittableRandom(11).ints(many, 0, trained.n).toArray();
      float[] inputs = new float[many * trained.in()];
      for (int i = 0; i < many; i++) System.arraycopy(trained.x, drawn[i] * trained.in(), inputs, i * trained.in(), trained.in());
      float[] outputs = new float[many * trained.outputs];
      type.getMethod("predict", float[].class, int.class, float[].class).invoke(predictor, inputs, many, outputs);
      for (int i = 0; i < many; i++) {
        for (int c = 0; c < trained.outputs; c++) {
          assertEquals(batch[drawn[i] * trained.outputs + c], outputs[i * trained.outputs + c], name + " " + kernels + ": sample " + i);
        }
      }
    }
  }

  /**
   * A JVM started without {@code --add-modules jdk.incubator.vector}, and one with 8-lane vectors;
   * and the same outputs, to the last bit, from the interpreter and from the optimizing compiler's
   * code (the narrow layer's kernel summed its vectors' lanes with {@code reduceLanes}, whose order
   * the JIT chooses: on JDK 25 every output then changed once the kernels were compiled); and a
   * JVM whose first-tier compiler compiles every method of the predictor before its first call,
   * none of them skipped (a kernel it could not compile ran, in some JVMs, as code of its
   * intermediate tier that boxes every vector, 30 times slower, for good).
   */
  @Test
  void runsInJvmsWithoutTheVectorModuleAndWithOtherVectorLengths(@TempDir Path folder) throws Exception {
    Trained trained = train("Mnistish", sources().findFirst().orElseThrow().get()[1].toString());
    GeneratedPredictor predictor = trained.predictor(Kernels.VECTOR);
    String harness = "package " + PACKAGE + ";\n"
        + "import java.nio.*; import java.nio.file.*;\n"
        + "public final class Harness {\n"
        + "  public static void main(String[] args) throws Exception {\n"
        + "    FloatBuffer in = ByteBuffer.wrap(Files.readAllBytes(Path.of(args[0]))).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();\n"
        + "    float[] x = new float[in.remaining()]; in.get(x);\n"
        + "    int n = x.length / MnistishPredictor.INPUT_SIZE;\n"
        + "    float[] y = new float[n * MnistishPredictor.OUTPUT_SIZE];\n"
        + "    MnistishPredictor p = new MnistishPredictor();\n"
        + "    p.predict(x, n, y);\n"
        + "    ByteBuffer out = ByteBuffer.allocate(2 * y.length * 4).order(ByteOrder.LITTLE_ENDIAN); out.asFloatBuffer().put(y);\n"
        + "    for (int i = 0; i < n; i++) {\n"
        + "      float[] one = p.predict(java.util.Arrays.copyOfRange(x, i * MnistishPredictor.INPUT_SIZE, (i + 1) * MnistishPredictor.INPUT_SIZE));\n"
        + "      out.position((y.length + i * one.length) * 4); out.asFloatBuffer().put(one);\n"
        + "    }\n"
        + "    Files.write(Path.of(args[1]), out.array());\n"
        + "    System.out.print(MnistishPredictor.usesVectorKernels());\n"
        + "  }\n"
        + "}\n";
    Path classes = withHarness(predictor, "Harness", harness, folder);
    Path inputs = folder.resolve("x.bin");
    Files.write(inputs, littleEndian(trained.x));

    String javaCommand = javaCommand();
    List<String> interpreted = List.of(javaCommand, "--add-modules", Kernels.VECTOR_MODULE, "-Xint", "-cp", classes.toString());
    // every method of the predictor compiled before its first call, nothing else: by the optimizing compiler, and by the first tier
    List<String> compiled = compiledFirst(javaCommand, "-XX:-TieredCompilation", classes);
    List<String> firstTier = compiledFirst(javaCommand, "-XX:TieredStopAtLevel=3", classes, "-XX:+PrintCompilation");
    List<List<String>> jvms = List.of(
        List.of(javaCommand, "-cp", classes.toString()),
        List.of(javaCommand, "--add-modules", Kernels.VECTOR_MODULE, "-XX:MaxVectorSize=32", "-cp", classes.toString()),
        interpreted, compiled, firstTier);
    Map<List<String>, byte[]> outputsOf = new LinkedHashMap<>();
    for (List<String> jvm : jvms) {
      Path outputs = folder.resolve("y.bin");
      List<String> command = new ArrayList<>(jvm);
      command.addAll(List.of(PACKAGE + ".Harness", inputs.toString(), outputs.toString()));
      String printed = run(command);
      if (jvm == firstTier) {
        assertTrue(printed.contains(PACKAGE + ".MnistishPredictor$VectorKernels::dense1"), printed);
        assertFalse(printed.contains("COMPILE SKIPPED"), printed);
        printed = printed.substring(printed.lastIndexOf('\n') + 1);
      }
      boolean withModule = jvm.contains(Kernels.VECTOR_MODULE);
      assertTrue(printed.endsWith(String.valueOf(withModule)), printed);
      float[] batchThenSingles = floats(Files.readAllBytes(outputs));
      int half = batchThenSingles.length / 2;
      assertClose(trained.expected, java.util.Arrays.copyOfRange(batchThenSingles, 0, half), "forked JVM " + jvm + ", batch");
      assertClose(trained.expected, java.util.Arrays.copyOfRange(batchThenSingles, half, 2 * half), "forked JVM " + jvm + ", one by one");
      outputsOf.put(jvm, Files.readAllBytes(outputs));
    }
    assertTrue(java.util.Arrays.equals(outputsOf.get(interpreted), outputsOf.get(compiled)),
        "the interpreter and the optimizing compiler's code gave different outputs");
  }

  /**
   * In a JVM of its own with the JIT's default options, as an application would run it, the batch form
   * and {@code predictClass} allocate nothing once compiled, as their javadoc says; with 16 lanes where
   * the machine has them, and with 8. A kernel that the optimizing compiler left with its vectors as
   * objects allocates kilobytes to megabytes a call: so it was, in some JVMs, while the predictor tested
   * its input for zeros with a vector of another shape than its kernels' (see
   * {@code SparseInputIndex.floatBlockBits}).
   */
  @Test
  void theCompiledBatchFormAndPredictClassAllocateNothing(@TempDir Path folder) throws Exception {
    Trained trained = train("Mnistish", sources().findFirst().orElseThrow().get()[1].toString());
    int many = 2 * PredictorEmitter.BATCH_ROWS + 5;
    String harness = "package " + PACKAGE + ";\n"
        + "public final class AllocationHarness {\n"
        + "  public static void main(String[] args) {\n"
        + "    java.util.SplittableRandom random = new java.util.SplittableRandom(11);\n"
        + "    float[] x = new float[" + many + " * MnistishPredictor.INPUT_SIZE];\n"
        + "    for (int i = 0; i < x.length; i++) x[i] = random.nextInt(5) == 0 ? (float) random.nextDouble() : 0f;\n"
        + "    float[] y = new float[" + many + " * MnistishPredictor.OUTPUT_SIZE];\n"
        + "    float[] one = java.util.Arrays.copyOf(x, MnistishPredictor.INPUT_SIZE);\n"
        + "    MnistishPredictor p = new MnistishPredictor();\n"
        + "    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();\n"
        + "    // the fewest bytes a round of calls allocated, in rounds until one allocates nothing or 30 seconds have passed\n"
        + "    long batch = Long.MAX_VALUE, single = Long.MAX_VALUE, deadline = System.nanoTime() + 30_000_000_000L;\n"
        + "    int classes = 0;\n"
        + "    while ((batch > 0 || single > 0) && System.nanoTime() < deadline) {\n"
        + "      long before = threads.getCurrentThreadAllocatedBytes();\n"
        + "      for (int i = 0; i < 20; i++) p.predict(x, " + many + ", y);\n"
        + "      long between = threads.getCurrentThreadAllocatedBytes();\n"
        + "      for (int i = 0; i < 1000; i++) classes += p.predictClass(one);\n"
        + "      long after = threads.getCurrentThreadAllocatedBytes();\n"
        + "      batch = Math.min(batch, between - before);\n"
        + "      single = Math.min(single, after - between);\n"
        + "    }\n"
        + "    System.out.print(\"batch \" + batch + \" single \" + single + \" \" + (classes >= 0));\n"
        + "  }\n"
        + "}\n";
    Path classes = withHarness(trained.predictor(Kernels.VECTOR), "AllocationHarness", harness, folder);
    // the machine's own lanes, then 8
    for (List<String> lanes : List.of(List.<String>of(), List.of("-XX:MaxVectorSize=32"))) {
      List<String> command = new ArrayList<>(List.of(javaCommand(), "--add-modules", Kernels.VECTOR_MODULE));
      command.addAll(lanes);
      command.addAll(List.of("-cp", classes.toString(), PACKAGE + ".AllocationHarness"));
      String printed = run(command);
      assertTrue(printed.endsWith("batch 0 single 0 true"), lanes + ": bytes allocated by 20 batches, by 1000 predictClass calls: " + printed);
    }
  }

  /** {@code predictor} and a harness class compiled together into {@code folder}/classes, with the weights resource. */
  private static Path withHarness(GeneratedPredictor predictor, String harnessName, String harness, Path folder) throws Exception {
    Compilation compilation = javac(predictor, true, JavaFileObjects.forSourceString(PACKAGE + "." + harnessName, harness));
    Path classes = GeneratedModels.writeClasses(compilation, folder);
    Files.write(classes.resolve(predictor.resourcePath()), predictor.weights());
    return classes;
  }

  /** A JVM with the vector module that compiles every method of the generated package before its first call, and nothing else. */
  private static List<String> compiledFirst(String javaCommand, String tiers, Path classes, String... more) {
    List<String> command = new ArrayList<>(List.of(javaCommand, "--add-modules", Kernels.VECTOR_MODULE, "-Xcomp", tiers));
    command.addAll(List.of(more));
    command.addAll(List.of("-XX:CompileCommand=quiet", "-XX:CompileCommand=compileonly," + PACKAGE + ".*::*", "-cp", classes.toString()));
    return List.copyOf(command);
  }

  @Test
  void compilesAgainstTheJdkAloneWithAndWithoutTheVectorModule() {
    Trained trained = train("Narrow", "input 21; dense 5 relu; dense 40; loss mse;");
    assertThat(javac(trained.predictor(Kernels.SCALAR), false)).succeededWithoutWarnings();
    assertFalse(trained.predictor(Kernels.SCALAR).source().code().contains("jdk.incubator.vector"));
    assertThat(javac(trained.predictor(Kernels.VECTOR), true)).succeeded();
    GeneratedModels.assertOneFloatVectorShape(trained.predictor(Kernels.VECTOR).source().code());
  }

  /** HotSpot never JIT-compiles a method of more than 8000 bytes of bytecode: it would run interpreted. */
  @Test
  void everyMethodOfTheMnistPredictorStaysBelowTheJitLimit() throws Exception {
    Trained trained = train("Mnist", "input 784; dense 512 relu; dense 10 softmax; loss sparse_ce;");
    Map<String, byte[]> classes = GeneratedModels.classesByName(compile(trained, Kernels.VECTOR));
    // the predictor, its workspaces for single samples and for batches, its vector kernels
    assertEquals(4, classes.size(), classes.keySet().toString());
    classes.forEach((name, bytes) -> ClassFileMethods.codeLengths(bytes).forEach((method, length) ->
        assertTrue(length < 8000, name + "." + method + " has " + length + " bytes of bytecode")));
  }

  @Test
  void aMissingOrDifferentWeightsResourceIsAClearError() throws Exception {
    Trained trained = train("Narrow", "input 21; dense 5 relu; dense 40; loss mse;");
    GeneratedPredictor predictor = trained.predictor(Kernels.VECTOR);
    Compilation compilation = compile(trained, Kernels.VECTOR);

    IllegalStateException missing = construct(load(compilation, predictor, new byte[0][]));
    assertTrue(missing.getMessage().contains("NarrowPredictor: its weights resource NarrowPredictor.weights is missing"),
        missing.getMessage());

    byte[] corrupted = predictor.weights();
    corrupted[corrupted.length / 2] ^= 1;
    IllegalStateException different = construct(load(compilation, predictor, new byte[][] {corrupted}));
    assertTrue(different.getMessage().contains("is not the one it was compiled with"), different.getMessage());
    assertTrue(different.getMessage().contains(PredictorEmitter.sha256(predictor.weights())), different.getMessage());

    byte[] truncated = java.util.Arrays.copyOf(predictor.weights(), 100);
    IllegalStateException shorter = construct(load(compilation, predictor, new byte[][] {truncated}));
    assertTrue(shorter.getMessage().contains("(100 bytes"), shorter.getMessage());
  }

  @Test
  void manyThreadsAtOnceGetTheAnswersOfOne() throws Exception {
    Trained trained = train("Mnistish", sources().findFirst().orElseThrow().get()[1].toString());
    Class<?> type = load(compile(trained, Kernels.VECTOR), trained.predictor(Kernels.VECTOR), null);
    Object predictor = type.getConstructor().newInstance();
    Method single = type.getMethod("predict", float[].class);
    float[][] alone = new float[trained.n][];
    for (int i = 0; i < trained.n; i++) alone[i] = (float[]) single.invoke(predictor, (Object) sample(trained, i));

    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        results.add(pool.submit(() -> {
          int mismatches = 0;
          for (int round = 0; round < 200; round++) {
            int i = (first + round * 7) % trained.n;
            float[] mine = (float[]) single.invoke(predictor, (Object) sample(trained, i));
            if (!java.util.Arrays.equals(mine, alone[i])) mismatches++;
          }
          return mismatches;
        }));
      }
      for (Future<Integer> result : results) assertEquals(0, result.get());
    } finally {
      pool.shutdown();
    }
  }

  /**
   * The batch form from more threads at once than its shared array of sums has slots (31 on 16
   * lanes, 63 on 8), then from as many new threads again, which take the slots of those that ended:
   * every answer that of one thread, to the bit.
   */
  @Test
  void batchesFromMoreThreadsThanSlotsGetTheAnswersOfOne() throws Exception {
    Trained trained = train("Mnistish", sources().findFirst().orElseThrow().get()[1].toString());
    Class<?> type = load(compile(trained, Kernels.VECTOR), trained.predictor(Kernels.VECTOR), null);
    Object predictor = type.getConstructor().newInstance();
    Method batch = type.getMethod("predict", float[].class, int.class, float[].class);
    int many = 2 * PredictorEmitter.BATCH_ROWS + 5;
    float[] inputs = new float[many * trained.in()];
    for (int i = 0; i < many; i++) System.arraycopy(trained.x, i % trained.n * trained.in(), inputs, i * trained.in(), trained.in());
    float[] alone = new float[many * trained.outputs];
    batch.invoke(predictor, inputs, many, alone);

    int threads = 70;
    for (int generation = 0; generation < 2; generation++) {
      java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        List<Future<Integer>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          results.add(pool.submit(() -> {
            start.await();
            int mismatches = 0;
            float[] mine = new float[alone.length];
            for (int round = 0; round < 4; round++) {
              java.util.Arrays.fill(mine, Float.NaN);
              batch.invoke(predictor, inputs, many, mine);
              if (!java.util.Arrays.equals(mine, alone)) mismatches++;
            }
            return mismatches;
          }));
        }
        for (Future<Integer> result : results) assertEquals(0, result.get(), "generation " + generation);
      } finally {
        pool.shutdown();
      }
      assertTrue(pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES));
    }
  }

  @Test
  void aWrongInputSizeOrTooShortArraysAreRefused() throws Exception {
    Trained trained = train("Narrow", "input 21; dense 5 relu; dense 40; loss mse;");
    Class<?> type = load(compile(trained, Kernels.VECTOR), trained.predictor(Kernels.VECTOR), null);
    Object predictor = type.getConstructor().newInstance();
    InvocationTargetException wrong = assertThrows(InvocationTargetException.class,
        () -> type.getMethod("predict", float[].class).invoke(predictor, (Object) new float[20]));
    assertEquals("an input of 20 floats; NarrowPredictor takes 21", wrong.getCause().getMessage());
    InvocationTargetException shortOutputs = assertThrows(InvocationTargetException.class,
        () -> type.getMethod("predict", float[].class, int.class, float[].class).invoke(predictor, new float[42], 2, new float[79]));
    assertTrue(shortOutputs.getCause() instanceof IllegalArgumentException);
  }

  // ---------------------------------------------------------------- helpers

  /** A model trained a few steps, its weights, inputs of it (most values zero) and the trainer's predictions. */
  private record Trained(CheckedModel checked, Map<String, float[]> weights, float[] x, int n, int outputs, float[] expected) {
    /** Floats per sample. */
    int in() {
      return x.length / n;
    }

    GeneratedPredictor predictor(Kernels kernels) {
      return NncCompiler.predictor(checked, CompileOptions.inPackage(PACKAGE).withKernels(kernels), weights);
    }
  }

  private static Trained train(String name, String source) {
    String fileName = Character.toLowerCase(name.charAt(0)) + name.substring(1) + ".nn";
    String text = "model " + name + " { " + source + " }";
    CheckedModel checked = GeneratedModels.checked(fileName, text);
    Model model = GeneratedModels.load(fileName, text, Kernels.VECTOR);
    model.initialize(7);
    int in = model.inputSize();
    int outs = model.outputSize();
    SplittableRandom random = new SplittableRandom(11);
    int n = 16;
    float[] x = new float[n * in];
    for (int i = 0; i < x.length; i++) x[i] = random.nextInt(5) == 0 ? (float) random.nextDouble() : 0f;
    float[] y = new float[n * (model.targetKind() == Model.TargetKind.CLASS_INDEX ? 1 : outs)];
    for (int i = 0; i < y.length; i++) {
      y[i] = model.targetKind() == Model.TargetKind.CLASS_INDEX ? random.nextInt(outs) : random.nextInt(2);
    }
    for (int step = 0; step < 5; step++) model.trainStep(x, y, n);
    Map<String, float[]> weights = new LinkedHashMap<>();
    for (Model.Tensor t : model.parameters()) {
      float[] values = new float[t.size()];
      model.readParameter(t.name(), values);
      weights.put(t.name(), values);
    }
    return new Trained(checked, weights, x, n, outs, Trainer.predict(model, x, n));
  }

  private static Compilation compile(Trained trained, Kernels kernels) {
    Compilation compilation = javac(trained.predictor(kernels), kernels == Kernels.VECTOR);
    assertThat(compilation).succeeded();
    return compilation;
  }

  /** javac with the JDK alone: no class path, every lint on. */
  private static Compilation javac(GeneratedPredictor predictor, boolean vectorModule, JavaFileObject... more) {
    List<JavaFileObject> sources = new ArrayList<>(List.of(
        JavaFileObjects.forSourceString(predictor.source().qualifiedName(), predictor.source().code())));
    sources.addAll(List.of(more));
    List<String> options = vectorModule
        ? List.of("-Xlint:all", "--add-modules", Kernels.VECTOR_MODULE)
        : List.of("-Xlint:all", "--release", "17");
    return Compiler.javac().withOptions(options).withClasspath(List.of()).compile(sources);
  }

  /**
   * The predictor class in a loader of its own that serves its weights resource: the real one
   * ({@code resource} null), none ({@code resource} empty) or {@code resource[0]}.
   */
  private static Class<?> load(Compilation compilation, GeneratedPredictor predictor, byte[][] resource) throws Exception {
    Map<String, byte[]> classes = GeneratedModels.classesByName(compilation);
    byte[] served = resource == null ? predictor.weights() : resource.length == 0 ? null : resource[0];
    ClassLoader loader = new ClassLoader(PredictorTest.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = classes.get(name);
        if (bytes == null) throw new ClassNotFoundException(name);
        return defineClass(name, bytes, 0, bytes.length);
      }

      @Override
      public InputStream getResourceAsStream(String name) {
        return name.equals(predictor.resourcePath()) && served != null ? new ByteArrayInputStream(served) : null;
      }
    };
    return loader.loadClass(predictor.source().qualifiedName());
  }

  private static IllegalStateException construct(Class<?> type) throws Exception {
    InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> type.getConstructor().newInstance());
    assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
    return (IllegalStateException) e.getCause();
  }

  private static float[] sample(Trained trained, int i) {
    int in = trained.x.length / trained.n;
    return java.util.Arrays.copyOfRange(trained.x, i * in, (i + 1) * in);
  }

  private static int argmax(float[] a) {
    int best = 0;
    for (int c = 1; c < a.length; c++) if (a[c] > a[best]) best = c;
    return best;
  }

  private static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      if (!(Math.abs(expected[i] - actual[i]) <= TOLERANCE * Math.max(1f, Math.abs(expected[i])))) {
        throw new AssertionError(what + ": output " + i + " is " + actual[i] + ", the trainer's " + expected[i]);
      }
    }
  }

  private static byte[] littleEndian(float[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(values);
    return bytes.array();
  }

  private static float[] floats(byte[] bytes) {
    float[] values = new float[bytes.length / 4];
    ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }

}
