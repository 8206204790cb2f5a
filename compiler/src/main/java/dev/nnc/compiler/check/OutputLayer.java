package dev.nnc.compiler.check;

import dev.nnc.compiler.ast.Position;
import dev.nnc.compiler.model.Activation;
import java.util.List;

/**
 * What the loss check needs to know about the model's last layer (a dense or activation layer).
 *
 * @param name the Keras layer name ({@code dense_2})
 * @param activationPosition where to point when the activation is wrong (its name, or the statement)
 * @param shape the output shape
 * @param shapePosition where to point when the number of outputs is wrong
 * @param rewrite the statement with another activation, as a fix: {@code "dense 10 %s;"}
 */
record OutputLayer(
    String name,
    Activation activation,
    Position activationPosition,
    List<Integer> shape,
    Position shapePosition,
    String rewrite) {

  String rewriteWith(Activation other) {
    return String.format(rewrite, other.kerasName());
  }
}
