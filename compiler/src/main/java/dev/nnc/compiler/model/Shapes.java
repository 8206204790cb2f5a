package dev.nnc.compiler.model;

import java.util.List;
import java.util.stream.Collectors;

/** Small helpers over shapes written as lists of dimensions. */
public final class Shapes {
  private Shapes() {}

  /** The most elements a Java array can hold on common JVMs. */
  public static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

  public static int size(List<Integer> shape) {
    int size = 1;
    for (int d : shape) size = Math.multiplyExact(size, d);
    return size;
  }

  /** Keras' spelling of a per-sample shape with the batch axis: {@code (None, 512)}. */
  public static String keras(List<Integer> shape) {
    return shape.stream().map(String::valueOf).collect(Collectors.joining(", ", "(None, ", shape.size() == 0 ? ")" : ")"));
  }
}
