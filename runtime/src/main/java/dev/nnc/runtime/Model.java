package dev.nnc.runtime;

import java.util.List;

/**
 * What every class that nnc generates implements: one model with fixed shapes, its parameters,
 * optimizer state and one batch of workspaces, all allocated once.
 *
 * <p>The runtime drives a model only through this interface, once per batch; everything inside a
 * batch (forward, backward, optimizer step) is the generated code's own straight-line work.
 *
 * <p>Batches: {@code x} holds {@code n} samples row-major ({@code n * inputSize()} floats),
 * {@code y} holds {@code n * targetSize()} floats (a class index stored as a float for
 * {@link TargetKind#CLASS_INDEX}). {@code 1 <= n <= maxBatch()}. Losses are means over the
 * {@code n} real samples, so a last partial batch trains with the mean over its real size.
 *
 * <p>Not thread-safe: an instance serves one thread at a time (even {@link #predict} writes the
 * instance's workspaces). To predict from many threads, use {@link ThreadSafePredictor}, which
 * gives each thread an instance of its own with the same weights.
 */
public interface Model {

  /** The model's name as written in its source ({@code Mnist}). */
  String name();

  /** Features per sample, flattened ({@code 784} for {@code input 28x28}). */
  int inputSize();

  /** Outputs per sample. */
  int outputSize();

  /** The most samples one call takes; the workspaces are sized for it. */
  int maxBatch();

  /** The loss the model trains with. */
  LossKind loss();

  /** How targets are given: one class index per sample, or {@link #outputSize()} values. */
  default TargetKind targetKind() {
    return loss() == LossKind.SPARSE_CATEGORICAL_CROSSENTROPY ? TargetKind.CLASS_INDEX : TargetKind.VALUES;
  }

  /** Floats per sample in {@code y}. */
  default int targetSize() {
    return targetKind() == TargetKind.CLASS_INDEX ? 1 : outputSize();
  }

  /**
   * The metrics the source names ({@code metrics accuracy, auc;}), by Keras' names, which
   * {@link FitOptions#defaults} tracks. Classes generated before models carried their metrics
   * get accuracy for a classification loss and nothing for {@code mse}.
   */
  default List<String> metrics() {
    return loss() == LossKind.MEAN_SQUARED_ERROR ? List.of() : List.of("accuracy");
  }

  /** The source's {@code train} defaults (or Keras' when the source has none). */
  int defaultBatchSize();

  int defaultEpochs();

  long defaultSeed();

  /** The trainable tensors in Keras order and layout ({@code dense_1/kernel} {@code [in, out]}, then {@code dense_1/bias}). */
  List<Tensor> parameters();

  /** Copies the named parameter out, in Keras layout (row-major over {@link Tensor#shape()}). */
  void readParameter(String name, float[] destination);

  /** Replaces the named parameter from Keras layout. Optimizer state is left as it is. */
  void writeParameter(String name, float[] source);

  /** Number of trainable scalars. */
  long parameterCount();

  /**
   * Fresh parameters from the layers' initializers (Keras defaults: Glorot-uniform kernels, zero
   * biases), zeroed optimizer state and step count, and the dropout generator reseeded; all from
   * {@code seed}, so the same seed gives the same model.
   */
  void initialize(long seed);

  /**
   * One optimizer step on the batch; returns its mean loss. {@link #output()} then holds the batch's
   * forward outputs (before the step). The step may update weights as it computes their gradients,
   * without storing them: read gradients after {@link #computeGradients}.
   */
  float trainStep(float[] x, float[] y, int n);

  /**
   * {@link #trainStep} on a batch of byte samples: sample {@code i} of the batch is the
   * {@link #inputSize()} unsigned bytes of {@code features} from {@code samples[first + i] * inputSize()},
   * byte {@code b} standing for the feature {@code byteValues[b & 0xFF]}. The same step as decoding
   * them into {@code x} and calling {@code trainStep(x, y, n)}, which is what this default does;
   * models whose input layer runs over the non-zero inputs index the bytes instead, with no floats
   * in between. {@code x} holds at least {@code n * inputSize()} floats, which the step may overwrite.
   */
  default float trainStepOnBytes(byte[] features, float[] byteValues, int[] samples, int first, int n, float[] x,
      float[] y) {
    decodeBytes(features, byteValues, samples, first, n, x);
    return trainStep(x, y, n);
  }

  /**
   * {@link #trainStep} on a batch of samples held as their non-zero bytes (see {@link PackedBytes}):
   * sample {@code i} of the batch is sample {@code samples[first + i]}, whose entries are
   * {@code packed[starts[s]] .. packed[starts[s + 1]]}, each a feature (low byte, high byte) and its
   * byte {@code b}, standing for {@code byteValues[b & 0xFF]}; features a sample does not list are zero
   * bytes. The same step as decoding them into {@code x} and calling {@code trainStep(x, y, n)}, which
   * is what this default does; models whose input layer runs over the non-zero inputs copy the lists
   * into their index instead. {@code x} holds at least {@code n * inputSize()} floats, which the step
   * may overwrite.
   *
   * @throws IllegalArgumentException if a sample's entries are not whole or name a feature past {@link #inputSize()}
   */
  default float trainStepOnPackedBytes(byte[] packed, int[] starts, float[] byteValues, int[] samples, int first, int n,
      float[] x, float[] y) {
    decodePackedBytes(packed, starts, byteValues, samples, first, n, x);
    return trainStep(x, y, n);
  }

  /**
   * Whether {@link #trainStepOnPackedPairs} is this model's fastest step on sparse byte samples: its
   * input layer's kernels then index the batch from its samples' pairs of features alone. No by default.
   */
  default boolean takesPackedPairs() {
    return false;
  }

  /**
   * {@link #trainStepOnPackedBytes} on the same samples held as their pairs of features (see
   * {@link PackedPairs}): sample {@code i} of the batch is sample {@code samples[first + i]}, whose
   * entries are {@code entries[starts[s]] .. entries[starts[s + 1]]}, bytes {@code b} standing for
   * {@code byteValues[b]}. The same step as decoding them into {@code x} and calling
   * {@code trainStep(x, y, n)}, which is what this default does; a model that
   * {@linkplain #takesPackedPairs takes them} scatters the entries into its index instead.
   *
   * @throws IllegalArgumentException if a sample's entries are more than its pairs, or name a pair past {@link #inputSize()}
   */
  default float trainStepOnPackedPairs(int[] entries, int[] starts, float[] byteValues, int[] samples, int first, int n,
      float[] x, float[] y) {
    decodePackedPairs(entries, starts, byteValues, samples, first, n, x);
    return trainStep(x, y, n);
  }

  /** The batch of samples held as their pairs that {@link #trainStepOnPackedPairs} takes, decoded into {@code x}. */
  private void decodePackedPairs(int[] entries, int[] starts, float[] byteValues, int[] samples, int first, int n, float[] x) {
    int size = inputSize();
    for (int i = 0; i < n; i++) PackedPairs.decode(entries, starts, samples[first + i], size, byteValues, x, i * size);
  }

  /** The batch of byte samples that {@link #trainStepOnBytes} takes, decoded into {@code x}. */
  private void decodeBytes(byte[] features, float[] byteValues, int[] samples, int first, int n, float[] x) {
    int size = inputSize();
    for (int i = 0; i < n; i++) {
      int from = Math.multiplyExact(samples[first + i], size);
      for (int k = 0; k < size; k++) x[i * size + k] = byteValues[features[from + k] & 0xFF];
    }
  }

  /** The batch of packed byte samples that {@link #trainStepOnPackedBytes} takes, decoded into {@code x}. */
  private void decodePackedBytes(byte[] packed, int[] starts, float[] byteValues, int[] samples, int first, int n,
      float[] x) {
    int size = inputSize();
    for (int i = 0; i < n; i++) PackedBytes.decode(packed, starts, samples[first + i], size, byteValues, x, i * size);
  }

  /**
   * The first half of {@link #trainStep}: forward and backward passes over the batch, leaving its
   * gradients in the model (see {@link #readGradient}); no parameter changes. Returns the mean loss.
   * {@code computeGradients} then {@link #applyGradients} is exactly {@code trainStep}.
   */
  float computeGradients(float[] x, float[] y, int n);

  /** The second half of {@link #trainStep}: one optimizer step with the gradients the model holds. */
  void applyGradients();

  /** Copies out the named parameter's current gradient, in Keras layout. */
  void readGradient(String name, float[] destination);

  /**
   * Replaces the named parameter's gradient from Keras layout, so that {@link #applyGradients} takes
   * a step with, say, gradients summed over several workers.
   */
  void writeGradient(String name, float[] source);

  /** The batch's mean loss in inference mode (no dropout, no update); {@link #output()} holds its outputs. */
  float evaluate(float[] x, float[] y, int n);

  /**
   * {@link #evaluate} on a batch of byte samples, given as {@link #trainStepOnBytes} takes them: the same
   * loss and outputs as decoding them into {@code x} and calling {@code evaluate(x, y, n)}, which is
   * what this default does. {@code x} holds at least {@code n * inputSize()} floats, which it may overwrite.
   */
  default float evaluateOnBytes(byte[] features, float[] byteValues, int[] samples, int first, int n, float[] x,
      float[] y) {
    decodeBytes(features, byteValues, samples, first, n, x);
    return evaluate(x, y, n);
  }

  /**
   * {@link #evaluate} on a batch of samples held as their non-zero bytes, given as
   * {@link #trainStepOnPackedBytes} takes them: the same loss and outputs as decoding them into
   * {@code x} and calling {@code evaluate(x, y, n)}, which is what this default does. Models whose
   * input layer runs over the non-zero inputs copy the lists into their index, as their training
   * steps do, so that evaluation runs the code that training has made hot.
   *
   * @throws IllegalArgumentException if a sample's entries are not whole or name a feature past {@link #inputSize()}
   */
  default float evaluateOnPackedBytes(byte[] packed, int[] starts, float[] byteValues, int[] samples, int first, int n,
      float[] x, float[] y) {
    decodePackedBytes(packed, starts, byteValues, samples, first, n, x);
    return evaluate(x, y, n);
  }

  /**
   * {@link #evaluate} on a batch of samples held as their pairs of features, given as
   * {@link #trainStepOnPackedPairs} takes them: the same loss and outputs as decoding them into
   * {@code x} and calling {@code evaluate(x, y, n)}, which is what this default does. A model that
   * {@linkplain #takesPackedPairs takes them} indexes them as its training steps do.
   *
   * @throws IllegalArgumentException if a sample's entries are more than its pairs, or name a pair past {@link #inputSize()}
   */
  default float evaluateOnPackedPairs(int[] entries, int[] starts, float[] byteValues, int[] samples, int first, int n,
      float[] x, float[] y) {
    decodePackedPairs(entries, starts, byteValues, samples, first, n, x);
    return evaluate(x, y, n);
  }

  /** Inference-mode forward pass; the result is in {@link #output()}. */
  void predict(float[] x, int n);

  /**
   * The last forward pass's outputs, row-major {@code [maxBatch()][outputSize()]}; the first
   * {@code n} rows are valid. The model's own workspace: read it, do not keep or modify it.
   */
  float[] output();

  // ---------------------------------------------------------------- training state
  // With the parameters, these are all a checkpoint needs for a resumed run to go on exactly as the
  // uninterrupted one would have.

  /**
   * The optimizer's slot tensors, named as Keras 3 names its optimizer variables, after their
   * parameter: {@code dense_1/kernel/momentum} (SGD with momentum, Adam's first moment, RMSprop's
   * momentum) and {@code dense_1/kernel/velocity} (RMSprop's mean square, Adam's second moment),
   * each of its parameter's shape; empty for SGD without momentum.
   */
  List<Tensor> optimizerSlots();

  /** Copies the named optimizer slot out, in Keras layout (its parameter's). */
  void readOptimizerSlot(String name, float[] destination);

  /** Replaces the named optimizer slot from Keras layout. */
  void writeOptimizerSlot(String name, float[] source);

  /** The optimizer's step count: steps taken since {@link #initialize} (Keras' {@code optimizer.iterations}). */
  long iterations();

  /** Sets the step count, as a checkpoint recorded it (Adam's bias corrections depend on it). */
  void setIterations(long iterations);

  /**
   * The optimizer's learning rate, which every following step uses; the source's after
   * {@link #initialize}. Schedules and {@code ReduceLROnPlateau} change it between steps.
   */
  float learningRate();

  /** Sets the learning rate for the following steps: finite and 0 or more. */
  void setLearningRate(float learningRate);

  /** The dropout generator's state ({@link DropoutRandom#state()}); empty for a model without dropout. */
  long[] dropoutState();

  /** Restores the dropout generator's state from {@link #dropoutState()}. */
  void setDropoutState(long[] state);

  /**
   * How many threads a step may use: 1 (the default) or 2, in which case the model's biggest
   * kernels split their columns with a worker thread it starts (more than 2 count as 2). Models
   * whose kernels do not split ignore it. Set it back to 1 to end the worker thread.
   */
  default void useThreads(int threads) {
    if (threads < 1) throw new IllegalArgumentException("threads must be at least 1, not " + threads);
  }

  /** A named tensor: its Keras name and shape. */
  record Tensor(String name, int[] shape) {
    public Tensor {
      shape = shape.clone();
    }

    @Override
    public int[] shape() {
      return shape.clone();
    }

    public int size() {
      int size = 1;
      for (int d : shape) size *= d;
      return size;
    }
  }

  /** How a model wants its targets. */
  enum TargetKind {
    /** One integer class per sample (stored as a float). */
    CLASS_INDEX,
    /** {@code outputSize()} values per sample (one-hot, probabilities or regression targets). */
    VALUES
  }
}
