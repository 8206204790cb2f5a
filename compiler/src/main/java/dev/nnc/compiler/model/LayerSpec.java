package dev.nnc.compiler.model;

import java.util.List;

/** One checked layer: its Keras name ({@code dense_1}), its source line, and its shapes. */
public sealed interface LayerSpec permits DenseSpec, ActivationSpec, DropoutSpec, FlattenSpec {
  String name();

  /** 1-based line of the statement in the source. */
  int line();

  List<Integer> inputShape();

  List<Integer> outputShape();

  default long parameterCount() {
    return 0;
  }

  /** {@code visitor}'s method for this kind of layer: code that handles layers has one per kind, or does not compile. */
  <R> R accept(Visitor<R> visitor);

  /** One method per kind of layer. */
  interface Visitor<R> {
    R dense(DenseSpec layer);

    R activation(ActivationSpec layer);

    R dropout(DropoutSpec layer);

    R flatten(FlattenSpec layer);
  }
}
