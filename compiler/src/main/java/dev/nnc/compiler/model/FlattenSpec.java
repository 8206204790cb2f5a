package dev.nnc.compiler.model;

import java.util.List;

/** {@code flatten;}: a reshape to one axis; data stays where it is (row-major). */
public record FlattenSpec(String name, int line, List<Integer> inputShape) implements LayerSpec {
  public FlattenSpec {
    inputShape = List.copyOf(inputShape);
  }

  @Override
  public List<Integer> outputShape() {
    return List.of(Shapes.size(inputShape));
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.flatten(this);
  }
}
