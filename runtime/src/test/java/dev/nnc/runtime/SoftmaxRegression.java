package dev.nnc.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A hand-written {@link Model} for tests: one dense layer with softmax, trained by plain SGD on
 * (sparse or one-hot) categorical cross-entropy. It records the size of every batch it is given.
 */
class SoftmaxRegression implements Model {
  private final int inputs;
  private final int classes;
  private final int maxBatch;
  private final LossKind loss;
  private float learningRate;
  private final float initialLearningRate;
  private long iterations;
  final float[] kernel;
  final float[] bias;
  private final float[] output;
  /** The {@code n} of every trainStep call, in order. */
  final List<Integer> trainBatches = new ArrayList<>();
  /** The first feature of every sample trained on, in order (tests put a sample id there). */
  final List<Float> firstFeatures = new ArrayList<>();

  SoftmaxRegression(int inputs, int classes, int maxBatch, LossKind loss, float learningRate) {
    this.inputs = inputs;
    this.classes = classes;
    this.maxBatch = maxBatch;
    this.loss = loss;
    this.learningRate = learningRate;
    this.initialLearningRate = learningRate;
    this.kernel = new float[inputs * classes];
    this.bias = new float[classes];
    this.output = new float[maxBatch * classes];
  }

  @Override public String name() { return "Softmax"; }
  @Override public int inputSize() { return inputs; }
  @Override public int outputSize() { return classes; }
  @Override public int maxBatch() { return maxBatch; }
  @Override public LossKind loss() { return loss; }
  @Override public int defaultBatchSize() { return Math.min(32, maxBatch); }
  @Override public int defaultEpochs() { return 1; }
  @Override public long defaultSeed() { return 1; }

  @Override
  public List<Tensor> parameters() {
    return List.of(new Tensor("dense_1/kernel", new int[] {inputs, classes}), new Tensor("dense_1/bias", new int[] {classes}));
  }

  private float[] parameter(String name) {
    return switch (name) {
      case "dense_1/kernel" -> kernel;
      case "dense_1/bias" -> bias;
      default -> throw new IllegalArgumentException(name);
    };
  }

  @Override
  public void readParameter(String name, float[] destination) {
    float[] p = parameter(name);
    System.arraycopy(p, 0, destination, 0, p.length);
  }

  @Override
  public void writeParameter(String name, float[] source) {
    float[] p = parameter(name);
    System.arraycopy(source, 0, p, 0, p.length);
  }

  @Override public long parameterCount() { return kernel.length + bias.length; }

  @Override
  public void initialize(long seed) {
    Initializers.fill("glorot_uniform", kernel, 0, kernel.length, inputs, classes, new SplittableRandom(seed));
    Initializers.fill("zeros", bias, 0, bias.length, inputs, classes, null);
    iterations = 0;
    learningRate = initialLearningRate;
  }

  // Plain SGD: no slots, no dropout.
  @Override public List<Tensor> optimizerSlots() { return List.of(); }
  @Override public void readOptimizerSlot(String name, float[] destination) { throw new IllegalArgumentException(name); }
  @Override public void writeOptimizerSlot(String name, float[] source) { throw new IllegalArgumentException(name); }
  @Override public long iterations() { return iterations; }
  @Override public void setIterations(long newIterations) { iterations = newIterations; }
  @Override public float learningRate() { return learningRate; }
  @Override public void setLearningRate(float newLearningRate) { learningRate = newLearningRate; }
  @Override public long[] dropoutState() { return new long[0]; }
  @Override public void setDropoutState(long[] state) {}

  @Override
  public float trainStep(float[] x, float[] y, int n) {
    trainBatches.add(n);
    iterations++;
    for (int i = 0; i < n; i++) firstFeatures.add(x[i * inputs]);
    float mean = evaluate(x, y, n);
    // d(mean CE)/d(logits) = (p - onehot) / n
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < classes; c++) {
        float g = (output[i * classes + c] - target(y, i, c)) / n;
        bias[c] -= learningRate * g;
        for (int j = 0; j < inputs; j++) kernel[j * classes + c] -= learningRate * g * x[i * inputs + j];
      }
    }
    return mean;
  }

  // The trainer never splits a step; these tests need only trainStep.
  @Override
  public float computeGradients(float[] x, float[] y, int n) {
    throw new UnsupportedOperationException("not used by the runtime's tests");
  }

  @Override
  public void applyGradients() {
    throw new UnsupportedOperationException("not used by the runtime's tests");
  }

  @Override
  public void readGradient(String name, float[] destination) {
    throw new UnsupportedOperationException("not used by the runtime's tests");
  }

  @Override
  public void writeGradient(String name, float[] source) {
    throw new UnsupportedOperationException("not used by the runtime's tests");
  }

  private float target(float[] y, int i, int c) {
    return targetKind() == TargetKind.CLASS_INDEX ? ((int) y[i] == c ? 1f : 0f) : y[i * classes + c];
  }

  @Override
  public float evaluate(float[] x, float[] y, int n) {
    predict(x, n);
    double sum = 0;
    for (int i = 0; i < n; i++) {
      for (int c = 0; c < classes; c++) {
        float t = target(y, i, c);
        if (t > 0) sum -= t * Math.log(Math.max(output[i * classes + c], 1e-7f));
      }
    }
    return (float) (sum / n);
  }

  @Override
  public void predict(float[] x, int n) {
    if (n < 1 || n > maxBatch) throw new IllegalArgumentException("n = " + n);
    for (int i = 0; i < n; i++) {
      float max = Float.NEGATIVE_INFINITY;
      for (int c = 0; c < classes; c++) {
        float z = bias[c];
        for (int j = 0; j < inputs; j++) z += x[i * inputs + j] * kernel[j * classes + c];
        output[i * classes + c] = z;
        max = Math.max(max, z);
      }
      float total = 0;
      for (int c = 0; c < classes; c++) {
        output[i * classes + c] = (float) Math.exp(output[i * classes + c] - max);
        total += output[i * classes + c];
      }
      for (int c = 0; c < classes; c++) output[i * classes + c] /= total;
    }
  }

  @Override public float[] output() { return output; }
}
