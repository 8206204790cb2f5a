package dev.nnc.compiler.emit;

import com.palantir.javapoet.CodeBlock;
import dev.nnc.compiler.model.Activation;

/** The Java text of each activation and of its derivative, in terms of the activation's output. */
final class ActivationCode {
  private final Activation activation;

  ActivationCode(Activation activation) {
    this.activation = activation;
  }

  Activation activation() {
    return activation;
  }

  /** Softmax works on a whole row; everything else element by element. */
  boolean rowWise() {
    return activation == Activation.SOFTMAX;
  }

  /** An expression for the element-wise activation of {@code v}; not for softmax. */
  String apply(String v) {
    return switch (activation) {
      case RELU -> "Math.max(" + v + ", 0f)";
      case SIGMOID -> "1f / (1f + (float) Math.exp(-" + v + "))";
      case TANH -> "(float) Math.tanh(" + v + ")";
      case LINEAR -> v;
      case SOFTMAX -> throw new IllegalStateException("softmax is row-wise");
    };
  }

  /** An expression for {@code g · act'(x)} given the output {@code h = act(x)}; not for softmax. */
  String backward(String g, String h) {
    return switch (activation) {
      case RELU -> h + " > 0f ? " + g + " : 0f";
      case SIGMOID -> g + " * " + h + " * (1f - " + h + ")";
      case TANH -> g + " * (1f - " + h + " * " + h + ")";
      case LINEAR -> g;
      case SOFTMAX -> throw new IllegalStateException("softmax is row-wise");
    };
  }

  /**
   * Statements applying softmax in place to the {@code width} floats of {@code a} from {@code offset},
   * shifted by the row's maximum so that exp cannot overflow.
   */
  static CodeBlock softmaxRow(String a, String offset, int width) {
    return CodeBlock.builder()
        .addStatement("float max = $L[$L]", a, offset)
        .beginControlFlow("for (int j = 1; j < $L; j++)", width)
        .addStatement("max = Math.max(max, $L[$L + j])", a, offset)
        .endControlFlow()
        .addStatement("float sum = 0f")
        .beginControlFlow("for (int j = 0; j < $L; j++)", width)
        .addStatement("float e = (float) Math.exp($L[$L + j] - max)", a, offset)
        .addStatement("$L[$L + j] = e", a, offset)
        .addStatement("sum += e")
        .endControlFlow()
        .addStatement("float inverse = 1f / sum")
        .beginControlFlow("for (int j = 0; j < $L; j++)", width)
        .addStatement("$L[$L + j] *= inverse", a, offset)
        .endControlFlow()
        .build();
  }

  /** Statements for softmax's backward on one row: {@code dx = h ⊙ (g − Σ g⊙h)}. */
  static CodeBlock softmaxBackwardRow(String h, String g, String dx, String offset, int width) {
    return CodeBlock.builder()
        .addStatement("float dot = 0f")
        .beginControlFlow("for (int j = 0; j < $L; j++)", width)
        .addStatement("dot += $L[$L + j] * $L[$L + j]", g, offset, h, offset)
        .endControlFlow()
        .beginControlFlow("for (int j = 0; j < $L; j++)", width)
        .addStatement("$L[$L + j] = $L[$L + j] * ($L[$L + j] - dot)", dx, offset, h, offset, g, offset)
        .endControlFlow()
        .build();
  }
}
