package dev.nnc.compiler.model;

import java.util.List;

/** {@code dense UNITS [ACTIVATION] [(use_bias = .., init = ..)]} on a flat input of {@code inputs} features. */
public record DenseSpec(
    String name,
    int line,
    int inputs,
    int units,
    Activation activation,
    boolean useBias,
    String kernelInitializer,
    String biasInitializer) implements LayerSpec {

  @Override
  public List<Integer> inputShape() {
    return List.of(inputs);
  }

  @Override
  public List<Integer> outputShape() {
    return List.of(units);
  }

  @Override
  public long parameterCount() {
    return (long) inputs * units + (useBias ? units : 0);
  }

  @Override
  public <R> R accept(Visitor<R> visitor) {
    return visitor.dense(this);
  }
}
