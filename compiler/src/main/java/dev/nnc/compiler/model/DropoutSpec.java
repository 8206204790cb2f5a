package dev.nnc.compiler.model;

import java.util.List;

/** {@code dropout RATE;}: inverted dropout in training (kept values scaled by 1/(1-rate)), identity in inference. */
public record DropoutSpec(String name, int line, List<Integer> shape, double rate) implements LayerSpec {
  public DropoutSpec {
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
    return visitor.dropout(this);
  }
}
