package dev.nnc.compiler.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.nnc.compiler.plan.LayerKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a dense layer's products, and the element-wise passes around them, are written out. Each
 * method returns one private static method of the generated class whose loop bounds are the
 * layer's constant sizes and whose only run-time bound is {@code rows} (the batch rounded up to the
 * 4-row block; rows past the batch hold zeros and zero gradients). Implementations can be swapped
 * without touching the rest of the class.
 */
interface DenseKernels {

  /** Adds what the kernels share to the generated class (constants, fields); nothing by default. */
  default void addSupport(TypeSpec.Builder type) {}

  /**
   * The nested class that holds the kernels (every static method of {@code kernels}), or none: they
   * are then the generated class's own. A nested class is loaded only when first called, so the
   * generated class can load, and say what it misses, on a JVM without a module its kernels need.
   */
  default Optional<TypeSpec.Builder> kernelClass() {
    return Optional.empty();
  }

  /** Statements that start the generated class's constructor (a check of what the kernels need); none by default. */
  default CodeBlock constructorCheck(String className) {
    return CodeBlock.of("");
  }

  /** The layout the class keeps this layer's kernel in, when not Keras' {@code [inputs][units]}. */
  default Optional<KernelLayout> kernelLayout(LayerKernel.Dense layer) {
    return Optional.empty();
  }

  /** Whether the layer's forward pass and weight gradient run over the index of the batch's non-zero inputs when it is sparse. */
  default boolean usesSparseInput(LayerKernel.Dense layer) {
    return layer.sparseInput();
  }

  /**
   * Adds state the kernels derive from a layer's weights (such as a copy laid out for the forward
   * pass) and returns the statement the class runs whenever weights change; none by default.
   */
  default Optional<CodeBlock> addDerivedState(TypeSpec.Builder type, LayerKernel.Dense layer, String stem) {
    return Optional.empty();
  }

  /** The statements that call the dense forward kernel {@code name} over the batch's {@code rows}. */
  default CodeBlock forwardCall(LayerKernel.Dense layer, String stem, String name) {
    return CodeBlock.of("$L($L, $L);\n", name, forwardArguments(layer), forwardSplitsRows() ? "0, rows" : "rows");
  }

  /**
   * The forward kernel's arguments after its rows, for the thread that calls it (the worker's, with
   * {@code onWorker}), each starting with {@code ", "}: a scratch of the thread's own, say; none by default.
   */
  default String forwardScratchArguments(LayerKernel.Dense layer, String stem, boolean onWorker) {
    return "";
  }

  /** The forward kernel's arguments before its rows: {@code x, w, [b,] h} as the layer's fields. */
  default String forwardArguments(LayerKernel.Dense layer) {
    List<String> args = new ArrayList<>(List.of(layer.input().field(), layer.kernel().field()));
    if (layer.bias() != null) args.add(layer.bias().field());
    args.add(layer.output().field());
    return String.join(", ", args);
  }

  /**
   * Whether the dense forward kernels take a range of rows, {@code int from, int to} (whole 4-row
   * blocks) in place of {@code rows}, so that a split step runs a layer above the input layer as
   * two halves of the batch, one on each thread: its rows are independent, and its product is
   * too small, or too narrow, to share by columns. No by default.
   */
  default boolean forwardSplitsRows() {
    return false;
  }

  /**
   * Whether a split step shares this layer's weight gradient (by column panels) and input gradient
   * (by rows) between the threads: a wide layer above the input layer, whose products are as large
   * as the input layer's. Its {@link #kernelGradient} and {@link #inputGradient} kernels then take
   * {@code int part, int parts} after {@code rows}. No by default.
   */
  default boolean backwardSplits(LayerKernel.Dense layer) {
    return false;
  }

  /**
   * The condition, a constant expression of the class's static fields, under which the layer's sparse
   * forward pass and weight gradient read only the pairs' column index of {@link SparseInputIndex},
   * not its row index: a batch can then be indexed straight from its samples' pairs of features
   * ({@code Model.trainStepOnPackedPairs}). None by default: the kernels read the row index.
   */
  default Optional<String> readsPairsAlone(LayerKernel.Dense layer) {
    return Optional.empty();
  }

  /**
   * {@code above}'s backward pass with the activation derivative and bias gradient of {@code below}, the
   * layer under it, split by the column panels {@code below}'s kernels split by, each part its own
   * columns: {@code (float[] x, float[] dz, float[] w, float[] dw, float[] g, [float[] db,] int rows, int
   * part, int parts)}, {@code x} and {@code g} being {@code below}'s output and output gradient. None by
   * default, nor where the kernels have no such pass for these layers.
   */
  default Optional<MethodSpec> columnBackward(LayerKernel.Dense below, LayerKernel.Dense above, String name) {
    return Optional.empty();
  }

  /** Arguments the sparse forward kernel takes after the layer's output: none by default. */
  default List<String> sparseForwardExtraArguments(LayerKernel.Dense layer, String stem) {
    return List.of();
  }

  /**
   * The call of the sparse weight-gradient kernel {@code name} without its last two arguments, the
   * part and the number of parts: {@code name(start, row, value, dz, dw, }. A kernel that
   * {@linkplain #fusesOptimizerStep fuses the optimizer step} also takes {@code stepArguments}
   * (the weights, the optimizer's slots and step size, and whether to take the step) before them.
   */
  default String sparseKernelGradientCall(LayerKernel.Dense layer, String stem, String name, List<String> stepArguments) {
    return name + "(" + SparseInputIndex.columnArguments() + ", " + layer.outputGradient().field() + ", "
        + layer.kernel().gradientField() + ", ";
  }

  /**
   * Whether the sparse weight-gradient kernel can take the optimizer's step itself, on each panel
   * row of sums just stored, while it is in the first-level cache: the training step then passes
   * over the layer's kernel and slots once, and the kernel's separate update is skipped.
   */
  default boolean fusesOptimizerStep(LayerKernel.Dense layer) {
    return false;
  }

  /** Whether the class can split its step with a worker thread (see {@code Model.useThreads}). */
  default boolean splits() {
    return false;
  }

  /** Whether this layer's kernels over the sparse input split into parts: not when its activation needs whole rows. */
  default boolean splits(LayerKernel.Dense layer) {
    return splits() && layer.layer().activation() != dev.nnc.compiler.model.Activation.SOFTMAX;
  }

  /**
   * {@code h = act(x·W + b)}: {@code (float[] x, float[] w, float[] b, float[] h, int rows)}, {@code b} omitted without bias;
   * {@code int from, int to} in place of {@code rows} where the kernels {@linkplain #forwardSplitsRows split rows}; the
   * kernel first, then any methods it calls.
   */
  List<MethodSpec> forward(LayerKernel.Dense layer, String name, ActivationCode activation);

  /**
   * {@code h = act(x·W + b)} over the batch's non-zero inputs, row by row:
   * {@code (int[] start, int[] column, float[] value, float[] w, float[] b, float[] h, int rows)}
   * (see {@link SparseInputIndex}), {@code b} omitted without bias; the kernel first, then any
   * methods it calls.
   */
  List<MethodSpec> sparseForward(LayerKernel.Dense layer, String name, ActivationCode activation);

  /** {@code dW = xᵀ·dZ}: {@code (float[] x, float[] dz, float[] dw, int rows)}; the kernel first, then any methods it calls. */
  List<MethodSpec> kernelGradient(LayerKernel.Dense layer, String name);

  /**
   * {@code dW = xᵀ·dZ} over the batch's non-zero inputs, input feature by input feature:
   * {@code (int[] start, int[] row, float[] value, float[] dz, float[] dw)}; the kernel first,
   * then any methods it calls.
   */
  List<MethodSpec> sparseKernelGradient(LayerKernel.Dense layer, String name, OptimizerKernels optimizer);

  /** {@code db = Σ_rows dZ}: {@code (float[] dz, float[] db, int rows)}. */
  MethodSpec biasGradient(LayerKernel.Dense layer, String name);

  /** {@code dX = dZ·Wᵀ}: {@code (float[] dz, float[] w, float[] dx, int rows)}. */
  MethodSpec inputGradient(LayerKernel.Dense layer, String name);

  /** {@code (float[] h, float[] g, float[] dx, int rows)}: {@code dx = g ⊙ act'} from the output {@code h}; {@code dx} may be {@code g}. */
  default MethodSpec activationBackward(String name, ActivationCode activation, int width) {
    return ElementwiseKernels.activationBackward(name, activation, width);
  }
}
