package dev.nnc.compiler.model;

import java.util.List;

/**
 * A model that passed every check: names resolved, arguments defaulted, every shape inferred.
 * The plan stage works from this alone; it never sees the AST.
 *
 * @param name the model's class-name stem ({@code Mnist})
 * @param sourceFileName the file it came from ({@code mnist.nn}), for generated comments
 * @param inputShape as written ({@code [784]} or {@code [28, 28]})
 * @param layers in order, each with its Keras name ({@code dense_1}) and shapes
 * @param metrics Keras metric names ({@code accuracy}), possibly empty
 */
public record CheckedModel(
    String name,
    String sourceFileName,
    List<Integer> inputShape,
    List<LayerSpec> layers,
    LossSpec loss,
    OptimizerSpec optimizer,
    List<String> metrics,
    TrainSpec train) {

  public CheckedModel {
    inputShape = List.copyOf(inputShape);
    layers = List.copyOf(layers);
    metrics = List.copyOf(metrics);
  }

  public int inputSize() {
    return Shapes.size(inputShape);
  }

  public List<Integer> outputShape() {
    return layers.isEmpty() ? inputShape : layers.get(layers.size() - 1).outputShape();
  }

  public int outputSize() {
    return Shapes.size(outputShape());
  }

  public long parameterCount() {
    return layers.stream().mapToLong(LayerSpec::parameterCount).sum();
  }
}
