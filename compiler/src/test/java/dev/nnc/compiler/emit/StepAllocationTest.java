package dev.nnc.compiler.emit;

import static dev.nnc.compiler.emit.GeneratedModels.PACKAGE;
import static dev.nnc.compiler.emit.GeneratedModels.javaCommand;
import static dev.nnc.compiler.emit.GeneratedModels.run;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.nnc.compiler.GeneratedSource;
import dev.nnc.compiler.Kernels;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A compiled training step of the vector kernels allocates nothing, on one thread or two (the
 * caller's and the worker's allocations counted), in a JVM of its own with HotSpot's default JIT
 * options, as an application runs it: no garbage a step, and none of the boxed vectors a kernel
 * compiled without its intrinsics would make.
 */
class StepAllocationTest {
  private static final String SOURCE = "input 784; dense 512 relu; dense 10 softmax; loss sparse_ce; optimizer rmsprop;"
      + " train batch 128 epochs 1;\n";

  private static final String HARNESS = "package " + PACKAGE + ";\n"
      + "public final class StepAllocationHarness {\n"
      + "  public static void main(String[] args) {\n"
      + "    java.util.SplittableRandom random = new java.util.SplittableRandom(7);\n"
      + "    int n = 128;\n"
      + "    // an image's share of exact zeros, so that the input layer takes its sparse kernels\n"
      + "    float[] x = new float[n * 784];\n"
      + "    for (int i = 0; i < x.length; i++) x[i] = random.nextInt(5) == 0 ? (float) random.nextDouble() : 0f;\n"
      + "    float[] y = new float[n];\n"
      + "    for (int i = 0; i < n; i++) y[i] = random.nextInt(10);\n"
      + "    StepsModel model = new StepsModel();\n"
      + "    model.useThreads(Integer.parseInt(args[0]));\n"
      + "    long main = Thread.currentThread().getId(), worker = -1;\n"
      + "    for (Thread t : Thread.getAllStackTraces().keySet()) if (t.getName().endsWith(\"model worker\")) worker = t.getId();\n"
      + "    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();\n"
      + "    // the fewest bytes a round of steps allocated, in rounds until one allocates nothing or 30 seconds have passed\n"
      + "    long least = Long.MAX_VALUE, deadline = System.nanoTime() + 30_000_000_000L;\n"
      + "    float loss = 0;\n"
      + "    while (least > 0 && System.nanoTime() < deadline) {\n"
      + "      long before = threads.getThreadAllocatedBytes(main) + (worker < 0 ? 0 : threads.getThreadAllocatedBytes(worker));\n"
      + "      for (int i = 0; i < 20; i++) loss += model.trainStep(x, y, n);\n"
      + "      long after = threads.getThreadAllocatedBytes(main) + (worker < 0 ? 0 : threads.getThreadAllocatedBytes(worker));\n"
      + "      least = Math.min(least, after - before);\n"
      + "    }\n"
      + "    System.out.print(\"worker \" + (worker >= 0) + \" steps \" + least + \" \" + (loss > 0));\n"
      + "  }\n"
      + "}\n";

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2})
  void aCompiledStepAllocatesNothing(int threads, @TempDir Path folder) throws Exception {
    GeneratedSource model = GeneratedModels.compile("steps.nn", SOURCE, Kernels.VECTOR).generated().orElseThrow();
    Compilation compilation = GeneratedModels.javac(model, JavaFileObjects.forSourceString(PACKAGE + ".StepAllocationHarness", HARNESS));
    Path classes = GeneratedModels.writeClasses(compilation, folder);
    File runtime = GeneratedModels.runtimeClasses();
    String printed = run(List.of(javaCommand(), "--add-modules", Kernels.VECTOR_MODULE,
        "-cp", classes + File.pathSeparator + runtime, PACKAGE + ".StepAllocationHarness", Integer.toString(threads)));
    assertTrue(printed.endsWith("worker " + (threads > 1) + " steps 0 true"), "bytes 20 steps allocated at the least: " + printed);
  }
}
