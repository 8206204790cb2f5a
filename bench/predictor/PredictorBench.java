package nncbench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Times the MNIST predictor that {@code nnc compile --inference} wrote (package {@code nncbench}),
 * compiled together with this file by {@code bench/predict-mnist.sh}. Prints {@code key=value} lines:
 *
 * <ul>
 *   <li>{@code first_prediction_ms}: from before the class is first touched (so its loading, the
 *       weights read and checked, and an interpreted first call) to the first prediction's result,
 *       of which {@code constructor_ms} in the constructor; {@code jvm_start_to_first_prediction_ms}
 *       from the JVM's start (only one image has been read by then);
 *   <li>{@code latency_median_us}, {@code latency_p99_us}: one thread, {@code predict(float[])} on
 *       one test image at a time (softmax included), each of 10,000 calls timed alone after 30,000
 *       calls of warm-up;
 *   <li>{@code batch_1thread_images_per_s}, {@code batch_2threads_images_per_s}: the 10,000 test
 *       images through {@code predict(inputs, count, outputs)}, best of 7 rounds; with 2 threads,
 *       each predicts half of them with the same instance;
 *   <li>{@code ..._cpu_share}: this thread's CPU time over the wall time of that part, below 1 when
 *       the thread waited for a core that something else was using;
 *   <li>{@code accuracy} on the test set, and {@code vector_kernels};
 *   <li>{@code real_work_kflop}: the multiply-adds an average test image needs, two operations
 *       each: its non-zero pixels times 512, then 512 times 10 (the input's zeros are work the
 *       predictor need not do); with the Vector API module, {@code peak_gflops}, this thread's peak
 *       ({@link PeakFma}), and {@code real_work_us}, the time that work takes at it.
 * </ul>
 *
 * Usage: {@code java [--add-modules jdk.incubator.vector] -cp CLASSES nncbench.PredictorBench MNIST_DIR}
 */
public final class PredictorBench {
  private static final int IMAGES = 10_000;
  private static final int SIZE = 784;
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    Path imageFile = data.resolve("t10k-images-idx3-ubyte.gz");
    float[] firstImage = images(imageFile, 1);

    long t0 = System.nanoTime();
    MnistPredictor predictor = new MnistPredictor();
    long constructed = System.nanoTime();
    float[] first = predictor.predict(firstImage);
    long t1 = System.nanoTime();
    Instant jvmStart = ProcessHandle.current().info().startInstant().orElse(Instant.now());
    print("jvm_start_to_first_prediction_ms", Duration.between(jvmStart, Instant.now()).toNanos() / 1e6);
    print("constructor_ms", (constructed - t0) / 1e6);
    print("first_prediction_ms", (t1 - t0) / 1e6);
    print("first_prediction_class", argmax(first));
    System.out.println("vector_kernels=" + MnistPredictor.usesVectorKernels());

    float[] images = images(imageFile, IMAGES);
    byte[] labels = labels(data.resolve("t10k-labels-idx1-ubyte.gz"));
    float[][] single = new float[IMAGES][];
    for (int i = 0; i < IMAGES; i++) single[i] = Arrays.copyOfRange(images, i * SIZE, (i + 1) * SIZE);

    // single image, one thread
    float sink = 0;
    for (int i = 0; i < 30_000; i++) sink += predictor.predict(single[i % IMAGES])[0];
    long[] times = new long[IMAGES];
    long cpu = CPU.getCurrentThreadCpuTime();
    long wall = System.nanoTime();
    for (int i = 0; i < IMAGES; i++) {
      long start = System.nanoTime();
      float[] p = predictor.predict(single[i]);
      times[i] = System.nanoTime() - start;
      sink += p[0];
    }
    print("latency_cpu_share", (CPU.getCurrentThreadCpuTime() - cpu) / (double) (System.nanoTime() - wall));
    Arrays.sort(times);
    print("latency_median_us", times[IMAGES / 2] / 1e3);
    print("latency_p99_us", times[IMAGES * 99 / 100] / 1e3);
    print("latency_min_us", times[0] / 1e3);

    // batch, 1 and 2 threads
    float[] outputs = new float[IMAGES * MnistPredictor.OUTPUT_SIZE];
    long best = Long.MAX_VALUE;
    double share = 0;
    for (int round = 0; round < 7; round++) {
      long start = System.nanoTime();
      long startCpu = CPU.getCurrentThreadCpuTime();
      predictor.predict(images, IMAGES, outputs);
      long took = System.nanoTime() - start;
      if (took < best) share = (CPU.getCurrentThreadCpuTime() - startCpu) / (double) took;
      best = Math.min(best, took);
    }
    print("batch_1thread_ms", best / 1e6);
    print("batch_1thread_cpu_share", share);
    print("batch_1thread_images_per_s", IMAGES / (best / 1e9));
    int correct = 0;
    for (int i = 0; i < IMAGES; i++) {
      if (argmax(Arrays.copyOfRange(outputs, i * 10, i * 10 + 10)) == labels[i]) correct++;
    }
    print("accuracy", correct / (double) IMAGES);

    int half = IMAGES / 2;
    float[][] halves = {Arrays.copyOfRange(images, 0, half * SIZE), Arrays.copyOfRange(images, half * SIZE, IMAGES * SIZE)};
    float[][] halfOutputs = {new float[half * 10], new float[half * 10]};
    best = Long.MAX_VALUE;
    for (int round = 0; round < 7; round++) {
      Thread other = new Thread(() -> predictor.predict(halves[1], half, halfOutputs[1]));
      long start = System.nanoTime();
      other.start();
      predictor.predict(halves[0], half, halfOutputs[0]);
      other.join();
      best = Math.min(best, System.nanoTime() - start);
    }
    print("batch_2threads_ms", best / 1e6);
    print("batch_2threads_images_per_s", IMAGES / (best / 1e9));

    // the real work of an average image, and the time it takes at this thread's measured peak
    long nonZero = 0;
    for (float v : images) nonZero += v != 0f ? 1 : 0;
    double flops = 2.0 * (nonZero / (double) IMAGES * 512 + 512 * 10);
    print("real_work_kflop", flops / 1e3);
    if (MnistPredictor.usesVectorKernels()) {
      double peak = PeakFma.flopsPerSecond();
      print("peak_gflops", peak / 1e9);
      print("real_work_us", flops / peak * 1e6);
    }
    if (sink == 42) System.out.println(); // keeps the results alive
  }

  private static void print(String key, double value) {
    System.out.println(key + "=" + String.format(Locale.ROOT, "%.3f", value));
  }

  private static int argmax(float[] p) {
    int best = 0;
    for (int c = 1; c < p.length; c++) if (p[c] > p[best]) best = c;
    return best;
  }

  /** The first {@code n} images of an IDX file, pixels scaled to [0, 1] as nnc reads them. */
  private static float[] images(Path file, int n) throws IOException {
    try (DataInputStream in = new DataInputStream(gunzip(file))) {
      in.readInt(); // magic
      in.readInt(); // count
      int rows = in.readInt();
      int cols = in.readInt();
      byte[] pixels = in.readNBytes(n * rows * cols);
      float[] x = new float[pixels.length];
      for (int i = 0; i < pixels.length; i++) x[i] = (pixels[i] & 0xFF) / 255f;
      return x;
    }
  }

  private static byte[] labels(Path file) throws IOException {
    try (DataInputStream in = new DataInputStream(gunzip(file))) {
      in.readInt();
      return in.readNBytes(in.readInt());
    }
  }

  private static InputStream gunzip(Path file) throws IOException {
    return new GZIPInputStream(Files.newInputStream(file), 1 << 16);
  }
}
