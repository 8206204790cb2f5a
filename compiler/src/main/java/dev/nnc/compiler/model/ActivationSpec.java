package dev.nnc.compiler.model;

import java.util.List;

/** {@code activation NAME;}: an element-wise (or, for softmax, per-sample) function; shape unchanged. */
public record ActivationSpec(String name, int line, List<Integer> shape, Activation activation) implements LayerSpec {
  public ActivationSpec {
    shape = List.copyOf(shape);
  }

  @Override
  public List<Integer> inputShape() {
    return shape;
  }

  @Override
  public List<Integer> outputShape() {
    return shape;
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.activation(this);
  }
}
