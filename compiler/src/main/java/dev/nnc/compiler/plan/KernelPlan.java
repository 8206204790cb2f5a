package dev.nnc.compiler.plan;

import dev.nnc.compiler.model.CheckedModel;
import java.util.List;

/**
 * A checked model lowered to fixed-shape kernels: every buffer with its width, every trainable
 * tensor with its gradient and optimizer slots, the layers in order, the loss. The emitter writes
 * exactly this; it makes no decisions about shapes of its own.
 *
 * @param className the generated class's simple name ({@code MnistModel})
 * @param maxBatch the most samples one step takes
 * @param rows rows of every workspace: {@code maxBatch} rounded up to {@link #ROW_BLOCK}
 * @param input the batch's copy of the input features (its rows past the batch are zero)
 */
public record KernelPlan(
    CheckedModel model, String className, int maxBatch, int rows, Buffer input,
    List<LayerKernel> layers, LossKernel loss, List<Param> params, List<Buffer> buffers) {

  /** Kernels process the batch this many rows at a time; workspaces are padded to a multiple of it. */
  public static final int ROW_BLOCK = 4;

  public KernelPlan {
    layers = List.copyOf(layers);
    params = List.copyOf(params);
    buffers = List.copyOf(buffers);
  }

  /**
   * About how many floats an instance of the generated class holds, all allocated when it is
   * created: each parameter with its gradient and optimizer slots, one more copy for the layouts
   * the vector kernels keep, and one batch of every workspace. For telling before creating it
   * whether the heap can take it.
   */
  public long floatsHeld() {
    long tensors = params.stream().mapToLong(p -> (long) p.size() * (3 + p.stateFields().size())).sum();
    return tensors + buffers.stream().mapToLong(b -> (long) b.width() * rows).sum();
  }

  /** The buffer whose first {@code n} rows {@code output()} shows: probabilities where the loss applies the output activation. */
  public Buffer output() {
    return loss.probabilities();
  }
}
