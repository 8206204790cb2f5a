package dev.nnc.compiler.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.nnc.compiler.model.LossSpec;
import dev.nnc.compiler.plan.LossKernel;
import java.util.Arrays;
import javax.lang.model.element.Modifier;

/**
 * The loss of a batch, as Keras computes it (means over the real samples, probabilities clipped
 * to [1e-7, 1 − 1e-7] before a log, logits through a stable log-sum-exp), and the gradient that
 * starts the backward pass, written for rows [0, n) and zeroed for the padding rows up to
 * {@code rows} so that they add nothing to any weight gradient.
 */
final class LossKernels {
  /** Keras' backend epsilon, which its cross-entropies clip probabilities with. */
  private static final String EPSILON = "1e-7f";

  private final LossKernel loss;

  LossKernels(LossKernel loss) {
    this.loss = loss;
  }

  /**
   * Fails on targets the loss cannot take, before any of the step runs (so that no pass is left
   * half done, nor a worker's task unjoined): for sparse categorical cross-entropy, a target that is
   * not a class index. Nothing for the other losses, which take any floats.
   */
  CodeBlock targetsCheck() {
    if (loss.kind() != LossSpec.Kind.SPARSE_CATEGORICAL_CROSSENTROPY) return CodeBlock.of("");
    int w = loss.outputs();
    return CodeBlock.builder()
        .beginControlFlow("for (int i = 0; i < n; i++)")
        .addStatement("float t = y[i]")
        .addStatement("int label = (int) t")
        .beginControlFlow("if (label != t || label < 0 || label >= $L)", w)
        .addStatement("throw new $T(\"sample \" + i + \": target \" + t + \" is not a class index in [0, $L)\")",
            IllegalArgumentException.class, w)
        .endControlFlow()
        .endControlFlow()
        .build();
  }

  /** {@code float lossAndGradient(float[] y, int n, int rows, boolean gradient)}: the batch's mean loss. */
  MethodSpec lossAndGradient() {
    int w = loss.outputs();
    String p = loss.probabilities().field();
    String z = loss.appliesActivation() ? loss.logits().field() : null;
    String g = loss.gradient() == null ? null : loss.gradient().field();
    MethodSpec.Builder m = MethodSpec.methodBuilder("lossAndGradient")
        .addModifiers(Modifier.PRIVATE)
        .returns(float.class)
        .addParameter(TypeName.get(float[].class), "y")
        .addParameter(int.class, "n")
        .addParameter(int.class, "rows")
        .addParameter(boolean.class, "gradient")
        .addStatement("double total = 0")
        .addStatement("float scale = $L", loss.kind() == LossSpec.Kind.SPARSE_CATEGORICAL_CROSSENTROPY
            || loss.kind() == LossSpec.Kind.CATEGORICAL_CROSSENTROPY ? "1f / n" : "1f / (n * " + w + "f)")
        .beginControlFlow("for (int i = 0; i < n; i++)")
        .addStatement("int o = i * $L", w);
    switch (loss.kind()) {
      case SPARSE_CATEGORICAL_CROSSENTROPY -> {
        m.addComment("a class index: the targets were checked before the step")
            .addStatement("int label = (int) y[i]");
        if (z != null) {
          m.addCode(logSumExp(z, w)).addStatement("total += logSumExp - $L[o + label]", z);
        } else {
          m.addStatement("total -= Math.log(clip($L[o + label]))", p);
        }
        if (g != null) {
          m.beginControlFlow("if (gradient)")
              .beginControlFlow("for (int j = 0; j < $L; j++)", w)
              .addStatement("$L[o + j] = $L[o + j] * scale", g, p)
              .endControlFlow()
              .addStatement("$L[o + label] -= scale", g)
              .endControlFlow();
        }
      }
      case CATEGORICAL_CROSSENTROPY -> {
        if (z != null) m.addCode(logSumExp(z, w));
        m.beginControlFlow("for (int j = 0; j < $L; j++)", w)
            .addStatement("float t = y[o + j]");
        if (z != null) {
          m.addStatement("total += t * (logSumExp - $L[o + j])", z);
        } else {
          m.addStatement("total -= t * Math.log(clip($L[o + j]))", p);
        }
        if (g != null) {
          m.beginControlFlow("if (gradient)").addStatement("$L[o + j] = ($L[o + j] - t) * scale", g, p).endControlFlow();
        }
        m.endControlFlow();
      }
      case BINARY_CROSSENTROPY -> {
        m.addStatement("double sum = 0")
            .beginControlFlow("for (int j = 0; j < $L; j++)", w)
            .addStatement("float t = y[o + j]");
        if (z != null) {
          m.addComment("max(z, 0) - z*t + log(1 + exp(-|z|)): the logits form, stable for any z")
              .addStatement("float v = $L[o + j]", z)
              .addStatement("sum += Math.max(v, 0f) - v * t + Math.log1p(Math.exp(-Math.abs(v)))");
        } else {
          m.addStatement("float q = clip($L[o + j])", p)
              .addStatement("sum -= t * Math.log(q) + (1 - t) * Math.log(1 - q)");
        }
        if (g != null) {
          m.beginControlFlow("if (gradient)").addStatement("$L[o + j] = ($L[o + j] - t) * scale", g, p).endControlFlow();
        }
        m.endControlFlow().addStatement("total += sum / $L", w);
      }
      case MEAN_SQUARED_ERROR -> {
        m.addStatement("double sum = 0")
            .beginControlFlow("for (int j = 0; j < $L; j++)", w)
            .addStatement("float e = $L[o + j] - y[o + j]", p)
            .addStatement("sum += e * e");
        if (g != null) {
          m.beginControlFlow("if (gradient)").addStatement("$L[o + j] = 2f * e * scale", g).endControlFlow();
        }
        m.endControlFlow().addStatement("total += sum / $L", w);
      }
    }
    m.endControlFlow();
    if (g != null) {
      m.beginControlFlow("if (gradient)")
          .addStatement("$T.fill($L, n * $L, rows * $L, 0f)", Arrays.class, g, w, w)
          .endControlFlow();
    }
    return m.addStatement("return (float) (total / n)").build();
  }

  /** {@code clip(p)}: Keras' clipping of probabilities before a log, when the loss has any. */
  MethodSpec clip() {
    return MethodSpec.methodBuilder("clip")
        .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(float.class)
        .addParameter(float.class, "p")
        .addStatement("return Math.min(Math.max(p, $L), 1f - $L)", EPSILON, EPSILON)
        .build();
  }

  boolean needsClip() {
    return !loss.appliesActivation() && loss.kind() != LossSpec.Kind.MEAN_SQUARED_ERROR;
  }

  /** {@code double logSumExp} over row {@code o} of the logits. */
  private static CodeBlock logSumExp(String z, int w) {
    return CodeBlock.builder()
        .addStatement("float max = $L[o]", z)
        .beginControlFlow("for (int j = 1; j < $L; j++)", w)
        .addStatement("max = Math.max(max, $L[o + j])", z)
        .endControlFlow()
        .addStatement("double sumExp = 0")
        .beginControlFlow("for (int j = 0; j < $L; j++)", w)
        .addStatement("sumExp += Math.exp($L[o + j] - max)", z)
        .endControlFlow()
        .addStatement("double logSumExp = max + Math.log(sumExp)")
        .build();
  }
}
