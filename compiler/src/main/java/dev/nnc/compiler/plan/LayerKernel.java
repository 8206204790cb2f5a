package dev.nnc.compiler.plan;

import dev.nnc.compiler.model.ActivationSpec;
import dev.nnc.compiler.model.DenseSpec;
import dev.nnc.compiler.model.DropoutSpec;
import dev.nnc.compiler.model.LayerSpec;

/**
 * One layer lowered to the buffers its kernels read and write. {@code inputGradient} is null when
 * nothing before the layer is trainable (nnc never computes the gradient for the input images);
 * {@code outputGradient} is null when the layer needs no backward pass at all.
 */
public sealed interface LayerKernel {
  LayerSpec layer();

  Buffer input();

  Buffer output();

  Buffer outputGradient();

  Buffer inputGradient();

  /** Dispatches on the kind of layer; a new kind fails to compile every visitor until it is handled. */
  <R> R accept(Visitor<R> visitor);

  /** What to do with each kind of layer. */
  interface Visitor<R> {
    R dense(Dense layer);

    R activation(Activation layer);

    R dropout(Dropout layer);
  }

  /**
   * {@code h = act(x·W + b)} and its backward: {@code dZ = dH ⊙ act'(h)}, {@code dW = xᵀ·dZ}, {@code db = Σ dZ}, {@code dX = dZ·Wᵀ}.
   *
   * @param sparseInput the layer reads the model's input itself and needs no input gradient, so
   *     its kernels may run over an index of the batch's non-zero inputs (most pixels of an image
   *     are exactly zero) instead of the whole batch
   */
  record Dense(
      DenseSpec layer, Buffer input, Buffer output, Param kernel, Param bias,
      Buffer outputGradient, Buffer inputGradient, boolean activationInLoss, boolean sparseInput) implements LayerKernel {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.dense(this);
    }
  }

  /** {@code h = act(x)}; when {@code activationInLoss} the loss's fused gradient stands in for its backward. */
  record Activation(
      ActivationSpec layer, Buffer input, Buffer output, Buffer outputGradient, Buffer inputGradient,
      boolean activationInLoss) implements LayerKernel {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.activation(this);
    }
  }

  /** Inverted dropout: {@code h = x ⊙ mask}, the mask drawn per step in training, all ones in inference. */
  record Dropout(
      DropoutSpec layer, Buffer input, Buffer output, Buffer mask, Buffer outputGradient, Buffer inputGradient)
      implements LayerKernel {
    @Override
    public <R> R accept(Visitor<R> visitor) {
      return visitor.dropout(this);
    }
  }
}
