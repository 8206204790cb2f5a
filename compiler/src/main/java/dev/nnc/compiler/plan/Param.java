package dev.nnc.compiler.plan;

import java.util.List;

/**
 * A trainable tensor and everything the generated class keeps for it.
 *
 * @param kerasName the name in weight files ({@code dense_1/kernel})
 * @param field the Java field holding it, in Keras layout (a kernel is {@code [in][out]} row-major)
 * @param shape Keras shape
 * @param initializer Keras initializer name
 * @param fanIn fan-in for the initializer
 * @param fanOut fan-out for the initializer
 * @param gradientField the field holding its gradient for the current batch
 * @param stateFields the optimizer's slots for it, in the optimizer's order (e.g. velocity, momentum)
 */
public record Param(
    String kerasName, String field, List<Integer> shape, String initializer, int fanIn, int fanOut,
    String gradientField, List<String> stateFields) {

  public Param {
    shape = List.copyOf(shape);
    stateFields = List.copyOf(stateFields);
  }

  public int size() {
    int size = 1;
    for (int d : shape) size *= d;
    return size;
  }
}
