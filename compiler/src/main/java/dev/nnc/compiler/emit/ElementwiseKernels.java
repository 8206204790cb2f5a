package dev.nnc.compiler.emit;

import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import javax.lang.model.element.Modifier;

/** Kernels that touch each value once: activations, their backward passes, dropout. */
final class ElementwiseKernels {
  private static final TypeName FLOATS = TypeName.get(float[].class);

  private ElementwiseKernels() {}

  /** {@code (float[] x, float[] h, int rows)}: {@code h = act(x)} over rows of {@code width}. */
  static MethodSpec activationForward(String name, ActivationCode activation, int width) {
    MethodSpec.Builder m = kernel(name).addParameter(FLOATS, "x").addParameter(FLOATS, "h").addParameter(int.class, "rows");
    if (activation.rowWise()) {
      return m.addStatement("$T.arraycopy(x, 0, h, 0, rows * $L)", System.class, width)
          .beginControlFlow("for (int o = 0; o < rows * $L; o += $L)", width, width)
          .addCode(ActivationCode.softmaxRow("h", "o", width))
          .endControlFlow()
          .build();
    }
    return m.beginControlFlow("for (int i = 0; i < rows * $L; i++)", width)
        .addStatement("h[i] = $L", activation.apply("x[i]"))
        .endControlFlow()
        .build();
  }

  /** {@code (float[] h, float[] g, float[] dx, int rows)}: {@code dx = g ⊙ act'} from the output {@code h}; {@code dx} may be {@code g}. */
  static MethodSpec activationBackward(String name, ActivationCode activation, int width) {
    MethodSpec.Builder m = kernel(name)
        .addParameter(FLOATS, "h").addParameter(FLOATS, "g").addParameter(FLOATS, "dx").addParameter(int.class, "rows");
    if (activation.rowWise()) {
      return m.beginControlFlow("for (int o = 0; o < rows * $L; o += $L)", width, width)
          .addCode(ActivationCode.softmaxBackwardRow("h", "g", "dx", "o", width))
          .endControlFlow()
          .build();
    }
    return m.beginControlFlow("for (int i = 0; i < rows * $L; i++)", width)
        .addStatement("dx[i] = $L", activation.backward("g[i]", "h[i]"))
        .endControlFlow()
        .build();
  }

  /** {@code (float[] g, float[] mask, float[] dx, int rows)}: {@code dx = g ⊙ mask}. */
  static MethodSpec dropoutBackward(String name, int width) {
    return kernel(name)
        .addParameter(FLOATS, "g").addParameter(FLOATS, "mask").addParameter(FLOATS, "dx").addParameter(int.class, "rows")
        .beginControlFlow("for (int i = 0; i < rows * $L; i++)", width)
        .addStatement("dx[i] = g[i] * mask[i]")
        .endControlFlow()
        .build();
  }

  private static MethodSpec.Builder kernel(String name) {
    return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC);
  }
}
