package dev.nnc.compiler.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.nnc.compiler.plan.LayerKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a dense layer's three products are written out. Each method returns one private static
 * method of the generated class whose loop bounds are the layer's constant sizes and whose only
 * run-time bound is {@code rows} (the batch rounded up to the 4-row block; rows past the batch hold
 * zeros and zero gradients). Implementations can be swapped without touching the rest of the class.
 */
interface DenseKernels {

  /** Adds what the kernels share to the generated class (constants, fields); nothing by default. */
  default void addSupport(TypeSpec.Builder type) {}

  /**
   * Adds state the kernels derive from a layer's weights (such as a copy laid out for the forward
   * pass) and returns the statement that refreshes it, which the class runs whenever weights change;
   * none by default.
   */
  default Optional<CodeBlock> addDerivedState(TypeSpec.Builder type, LayerKernel.Dense layer, String stem) {
    return Optional.empty();
  }

  /** The arguments of the forward call, in the order {@link #forward} declares them. */
  default List<String> forwardArguments(LayerKernel.Dense layer, String stem) {
    List<String> args = new ArrayList<>(List.of(layer.input().field(), layer.kernel().field()));
    if (layer.bias() != null) args.add(layer.bias().field());
    args.add(layer.output().field());
    return args;
  }

  /** {@code h = act(x·W + b)}: {@code (float[] x, float[] w, float[] b, float[] h, int rows)}, {@code b} omitted without bias. */
  MethodSpec forward(LayerKernel.Dense layer, String name, ActivationCode activation);

  /** {@code dW = xᵀ·dZ}: {@code (float[] x, float[] dz, float[] dw, int rows)}. */
  MethodSpec kernelGradient(LayerKernel.Dense layer, String name);

  /** {@code db = Σ_rows dZ}: {@code (float[] dz, float[] db, int rows)}. */
  MethodSpec biasGradient(LayerKernel.Dense layer, String name);

  /** {@code dX = dZ·Wᵀ}: {@code (float[] dz, float[] w, float[] dx, int rows)}. */
  MethodSpec inputGradient(LayerKernel.Dense layer, String name);
}
