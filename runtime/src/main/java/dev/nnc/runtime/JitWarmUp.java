package dev.nnc.runtime;

import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Warms the JIT up for a model while its data are being read: a second instance of the model's
 * class trains on random batches on a background thread, so that HotSpot has compiled the
 * kernels by the time the real training starts and its first epoch runs at the speed of the
 * others. The instance and its batches are thrown away; the model that is trained never sees
 * them, so results are the same with and without the warm-up. {@code nnc train} runs it; an
 * application that trains a generated class starts it before it reads its data:
 *
 * <pre>{@code
 * MnistModel model = new MnistModel();
 * JitWarmUp warmUp = JitWarmUp.start(model, MnistModel::new, 128, 2); // batch, threads as trained
 *                                     // (features other than uint8: add JitWarmUp.Features.FLOATS)
 * Dataset train = ...;                                                  // read while it runs
 * if (warmUp != null) warmUp.finish();
 * model.useThreads(2);
 * Trainer.fit(model, train, test, options, System.out);
 * }</pre>
 *
 * <p>It pays where HotSpot compiles the generated class early, as {@code nnc train}'s JVM options
 * have it (README, "Training in your own application"): with HotSpot's default thresholds its 32
 * steps run in the interpreter for about a second, about what they save the first epoch (the MNIST
 * example ended its first epoch 0.3 s sooner so; with the options as well, its whole run took 1.1-1.7 s less).
 */
public final class JitWarmUp {
  /**
   * Training steps it takes: a few dozen bring the kernels to HotSpot's optimizing compiler. The MNIST
   * example's full steps took their compiled time from about step 24 on; 64 steps reached the first real
   * step 20-30 ms later than 32, with the same first epoch. (Going on while steps still got faster, up to
   * 512 steps, cost more start-up than it saved in epoch 1; so did warming up on two threads, which left
   * the optimizing compiler less of the two cores.)
   */
  public static final int STEPS = 32;
  /** Samples in most steps: small batches reach the compiler's thresholds at a fraction of the cost. */
  private static final int SMALL_BATCH = 8;
  /** Every so many steps, a full batch, so that the compiled code has seen the sizes training uses. */
  private static final int FULL_EVERY = 4;
  /** Memory the second instance may take, as a share of what the heap has free. */
  private static final double HEAP_SHARE = 0.25;

  private final FutureTask<Long> work;
  private final AtomicBoolean stop;
  private final AtomicInteger steps;

  private JitWarmUp(FutureTask<Long> work, AtomicBoolean stop, AtomicInteger steps) {
    this.work = work;
    this.stop = stop;
    this.steps = steps;
  }

  /**
   * Starts warming up the class of {@code model} on the instance {@code instance} gives on the
   * warm-up's thread (a new daemon thread), with batches of {@code batch} samples and the step split
   * as {@code threads} threads split it ({@link Model#useThreads}), or does nothing (and returns
   * null) when a second instance would take too much of the heap.
   */
  public static JitWarmUp start(Model model, Supplier<? extends Model> instance, int batch, int threads) {
    return start(model, instance, batch, threads, Features.BYTES);
  }

  /**
   * How the training data will reach the model, which decides the kernels to warm up: as bytes
   * ({@code uint8} features: images, MNIST's files), which {@link Trainer} hands over as bytes and
   * which are mostly zeros; or as floats (any other type), dense or sparse.
   */
  public enum Features {
    /** Image-like bytes: the steps on bytes, over the kernels of sparse input. */
    BYTES,
    /**
     * Floats: the steps on floats, dense ones and image-like sparse ones in turn, so that both the
     * dense kernels and those over the non-zero inputs are compiled (a dense table of 100 features
     * into 512 units ran its first epoch at 5 times a later one after the byte warm-up).
     */
    FLOATS
  }

  /** {@link #start(Model, Supplier, int, int)} for training data that reach the model as {@code features}. */
  public static JitWarmUp start(Model model, Supplier<? extends Model> instance, int batch, int threads, Features features) {
    long bytes = estimatedBytes(model, batch);
    Runtime runtime = Runtime.getRuntime();
    long free = runtime.maxMemory() - (runtime.totalMemory() - runtime.freeMemory());
    if (bytes > free * HEAP_SHARE) return null;
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger steps = new AtomicInteger();
    FutureTask<Long> work = new FutureTask<>(() -> {
      long started = System.nanoTime();
      Model warmed = instance.get();
      // The two-thread step's paths, both parts of each split kernel, run and are profiled here, on this
      // thread alone: an inline worker runs the second part at once. (Warmed up on one thread's paths, the
      // first real steps threw the compiled step methods away; on two real threads, the warm-up took a core
      // from the compilers.)
      if (threads > 1) Worker.inlineWhile(() -> warmed.useThreads(threads));
      run(warmed, batch, features, stop, steps);
      return System.nanoTime() - started;
    });
    Thread thread = new Thread(work, "nnc-jit-warm-up");
    thread.setDaemon(true); // never keeps the JVM alive
    thread.start();
    return new JitWarmUp(work, stop, steps);
  }

  /**
   * A generous guess at a second instance's memory: parameters, gradients, optimizer state and
   * packed copies (six floats a parameter), plus a batch's input, output and random data.
   */
  private static long estimatedBytes(Model model, int batch) {
    return 4L * (6 * model.parameterCount() + 3L * batch * (model.inputSize() + model.outputSize()));
  }

  private static void run(Model model, int batch, Features kind, AtomicBoolean stop, AtomicInteger done) {
    int full = Math.min(batch, model.maxBatch());
    int small = Math.min(SMALL_BATCH, full);
    SplittableRandom random = new SplittableRandom(0x5EED);
    // The batch as bytes for the training steps (the trainer hands image data over as bytes) and as floats for
    // the evaluations (their path).
    byte[] bytes = new byte[full * model.inputSize()];
    float[] x = new float[bytes.length];
    // Like images: a blank border (the last eighth of each sample's features, and a first part from an eighth
    // to a half, as the top of a digit moves) and most of the other values exactly zero. The vector kernels of
    // the input layer then take the paths image data train on, over the non-zero inputs and past blocks of
    // features that are all zero, at the start of a sample too: a path the warm-up never took is compiled as
    // a trap, and the first real batch that takes it throws the compiled kernel away. (With a fixed first
    // eighth, no sample's first 256-feature block was blank: on AVX2, whose forward kernel walks such blocks,
    // MNIST's first real step threw that kernel away and epoch 1 took 1.6-1.9x a later one.) Floats are
    // warmed up dense as well (runOnFloats). Sparser than real images (one value in 16 of the middle, not
    // one in 4): the first steps run in the interpreter, at a cost per non-zero input, and the paths are the same; the MNIST
    // example reached its first step 0.09 s sooner, 6 runs of 6.
    int features = model.inputSize();
    int border = features / 8;
    // This runs in the interpreter, before the first warm-up step: one draw of 64 bits serves 16 features'
    // one-in-16 tests, a value is drawn only for a non-zero feature, and bytes and x start as zeros. (A draw per
    // test and a store per feature kept the first step waiting about 30 ms, now about 16.)
    for (int sample = 0; sample < full; sample++) {
      int first = border + random.nextInt(Math.max(1, features / 2 - border));
      long bits = 0;
      for (int f = first; f < features - border; f++) {
        if ((f - first) % 16 == 0) bits = random.nextLong();
        if ((bits & 15) == 0) {
          int i = sample * features + f;
          bytes[i] = (byte) (1 + random.nextInt(255));
          x[i] = (bytes[i] & 0xFF) / 255f;
        }
        bits >>>= 4;
      }
    }
    int outputs = model.outputSize();
    float[] y = new float[full * model.targetSize()];
    for (int i = 0; i < full; i++) {
      int label = random.nextInt(outputs);
      if (model.targetKind() == Model.TargetKind.CLASS_INDEX) y[i] = label;
      else y[i * outputs + label] = 1f;
    }
    if (kind == Features.FLOATS) {
      runOnFloats(model, x, y, full, small, stop, done);
      return;
    }
    // as training holds such data: their non-zero bytes alone (Dataset), which the steps copy into the index; all
    // the bytes where a sample has too many features for that
    PackedBytes packed = PackedBytes.of(bytes, features).orElse(null);
    // and as their pairs of features, where the model trains on those
    PackedPairs pairs = packed != null && model.takesPackedPairs() ? PackedPairs.of(packed) : null;
    float[] byteValues = new float[256];
    for (int b = 0; b < byteValues.length; b++) byteValues[b] = b / 255f;
    int[] samples = new int[full];
    for (int i = 0; i < full; i++) samples[i] = i;
    for (int step = 0; step < STEPS && !stop.get(); step++) {
      int n = step % FULL_EVERY == FULL_EVERY - 1 ? full : small;
      if (pairs != null) {
        model.trainStepOnPackedPairs(pairs.entries(), pairs.starts(), byteValues, samples, 0, n, x, y);
      } else if (packed != null) {
        model.trainStepOnPackedBytes(packed.packed(), packed.starts(), byteValues, samples, 0, n, x, y);
      } else {
        model.trainStepOnBytes(bytes, byteValues, samples, 0, n, x, y);
      }
      // The validation's code path (Trainer.evaluate gives byte samples as the steps do), once every few steps,
      // on a full batch (the steps either side are small).
      if (step % FULL_EVERY == 1) {
        if (pairs != null) model.evaluateOnPackedPairs(pairs.entries(), pairs.starts(), byteValues, samples, 0, full, x, y);
        else if (packed != null) model.evaluateOnPackedBytes(packed.packed(), packed.starts(), byteValues, samples, 0, full, x, y);
        else model.evaluateOnBytes(bytes, byteValues, samples, 0, full, x, y);
      }
      done.incrementAndGet();
    }
  }

  /**
   * The steps on floats: {@link #STEPS} on dense values and as many on {@code sparse} (the image-like
   * batch), a run of {@link #FULL_EVERY} steps of each in turn, so that each path has its full batches
   * and its evaluations. The dense values are none of them zero, and made without a random draw (the
   * loop runs in the interpreter).
   */
  private static void runOnFloats(Model model, float[] sparse, float[] y, int full, int small, AtomicBoolean stop,
      AtomicInteger done) {
    float[] dense = new float[sparse.length];
    for (int i = 0; i < dense.length; i++) dense[i] = (i * 37 % 255 - 127.5f) / 127.5f;
    for (int step = 0; step < 2 * STEPS && !stop.get(); step++) {
      float[] x = (step / FULL_EVERY) % 2 == 0 ? dense : sparse;
      model.trainStep(x, y, step % FULL_EVERY == FULL_EVERY - 1 ? full : small);
      if (step % FULL_EVERY == 1) model.evaluate(x, y, full);
      done.incrementAndGet();
    }
  }

  /** Lets the warm-up end after its current step, without waiting for it: its result is no longer wanted. */
  public void abandon() {
    stop.set(true);
  }

  /**
   * Waits until all steps are done. A failure in the warm-up is only reported in the result: the
   * real training reports its own.
   */
  public Result finish() {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          long nanos = work.get(); // before the steps are counted
          return new Result(steps.get(), nanos, null);
        } catch (InterruptedException e) {
          interrupted = true; // finish waiting: the steps are nearly done, and the caller trains next
        } catch (ExecutionException e) {
          return new Result(steps.get(), 0, e.getCause().toString());
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /** How the warm-up went: its steps, how long it ran, and why it failed (null if it did not). */
  public record Result(int steps, long nanos, String failure) {}
}
