package dev.nnc.compiler.emit;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import dev.nnc.compiler.plan.KernelPlan;
import dev.nnc.compiler.plan.LayerKernel;
import java.util.Arrays;
import java.util.List;
import javax.lang.model.element.Modifier;

/**
 * The readable reference kernels: plain Java loops, register-blocked over four rows (or four
 * input features) so each weight row is loaded once per four multiply-adds, with the innermost loop
 * running over contiguous memory. Rows or features that are exactly zero (blank pixels, inactive
 * relu units) are skipped: the products they would add are zero.
 */
final class ScalarDenseKernels implements DenseKernels {
  static final int B = KernelPlan.ROW_BLOCK;
  static final TypeName FLOATS = TypeName.get(float[].class);

  @Override
  public List<MethodSpec> forward(LayerKernel.Dense layer, String name, ActivationCode activation) {
    int k = layer.layer().inputs();
    int n = layer.layer().units();
    boolean bias = layer.bias() != null;
    MethodSpec.Builder m = forwardKernel(name, bias);
    m.beginControlFlow("for (int i = 0; i < rows; i += $L)", B)
        .addStatement(offsets("x", "i * " + k, k))
        .addStatement(offsets("h", "i * " + n, n))
        .beginControlFlow("for (int j = 0; j < $L; j++)", n)
        .addStatement("float bj = $L", bias ? "b[j]" : "0f");
    for (int r = 0; r < B; r++) m.addStatement("h[h$L + j] = bj", r);
    m.endControlFlow()
        .beginControlFlow("for (int k = 0; k < $L; k++)", k)
        .addStatement(loads("a", r -> "x[x" + r + " + k]"))
        .beginControlFlow("if ($L)", allZero("a"))
        .addStatement("continue")
        .endControlFlow()
        .addStatement("int wk = k * $L", n)
        .beginControlFlow("for (int j = 0; j < $L; j++)", n)
        .addStatement("float wkj = w[wk + j]");
    for (int r = 0; r < B; r++) m.addStatement("h[h$L + j] += a$L * wkj", r, r);
    m.endControlFlow().endControlFlow();
    addActivationPass(m, activation, n);
    return List.of(m.endControlFlow().build());
  }

  @Override
  public List<MethodSpec> sparseForward(LayerKernel.Dense layer, String name, ActivationCode activation) {
    int n = layer.layer().units();
    boolean bias = layer.bias() != null;
    MethodSpec.Builder m = sparseForwardKernel(name, bias)
        .addComment("this part's columns")
        .addStatement("int j0 = $L * part / parts, j1 = $L * (part + 1) / parts", n, n)
        .beginControlFlow("for (int i = 0; i < rows; i++)")
        .addStatement("int hi = i * $L", n)
        .beginControlFlow("for (int j = j0; j < j1; j++)")
        .addStatement("h[hi + j] = $L", bias ? "b[j]" : "0f")
        .endControlFlow()
        .beginControlFlow("for (int p = start[i]; p < end[i]; p++)")
        .addStatement("float a = value[p]")
        .addStatement("int wk = column[p] * $L", n)
        .beginControlFlow("for (int j = j0; j < j1; j++)")
        .addStatement("h[hi + j] += a * w[wk + j]")
        .endControlFlow()
        .endControlFlow()
        .endControlFlow();
    // Softmax needs whole rows: a layer with it runs as one part (see splits).
    if (activation.activation() != dev.nnc.compiler.model.Activation.LINEAR) {
      m.beginControlFlow("for (int i = 0; i < rows; i += $L)", B).addStatement("int h0 = i * $L", n);
      if (activation.rowWise()) {
        addActivationPass(m, activation, n);
      } else {
        m.beginControlFlow("for (int j = h0 + j0; j < h0 + $L; j += $L)", B * n, n)
            .beginControlFlow("for (int c = j; c < j + j1 - j0; c++)")
            .addStatement("h[c] = $L", activation.apply("h[c]"))
            .endControlFlow()
            .endControlFlow();
      }
      m.endControlFlow();
    }
    return List.of(m.build());
  }

  @Override
  public List<MethodSpec> sparseKernelGradient(LayerKernel.Dense layer, String name, OptimizerKernels optimizer) {
    int k = layer.layer().inputs();
    int n = layer.layer().units();
    MethodSpec.Builder m = sparseColumnKernel(name).addParameter(FLOATS, "dz").addParameter(FLOATS, "dw");
    return List.of(addParts(m)
        .addStatement("int j0 = $L * part / parts, j1 = $L * (part + 1) / parts", n, n)
        .beginControlFlow("for (int k = 0; k < $L; k++)", k)
        .addStatement("int wk = k * $L", n)
        .addStatement("$T.fill(dw, wk + j0, wk + j1, 0f)", Arrays.class)
        .beginControlFlow("for (int p = start[k]; p < start[k + 1]; p++)")
        .addStatement("float a = value[p]")
        .addStatement("int zi = row[p] * $L", n)
        .beginControlFlow("for (int j = j0; j < j1; j++)")
        .addStatement("dw[wk + j] += a * dz[zi + j]")
        .endControlFlow()
        .endControlFlow()
        .endControlFlow()
        .build());
  }

  /** A kernel over {@link SparseInputIndex}'s row form: {@code (int[] start, int[] end, int[] column, float[] value, ...)}. */
  static MethodSpec.Builder sparseRowKernel(String name) {
    return kernel(name).addParameter(int[].class, "start").addParameter(int[].class, "end")
        .addParameter(int[].class, "column").addParameter(FLOATS, "value");
  }

  /** A kernel over {@link SparseInputIndex}'s column form: {@code (int[] start, int[] row, float[] value, ...)}. */
  static MethodSpec.Builder sparseColumnKernel(String name) {
    return kernel(name).addParameter(int[].class, "start").addParameter(int[].class, "row").addParameter(FLOATS, "value");
  }

  /** A dense forward kernel's signature: {@code (float[] x, float[] w, [float[] b,] float[] h, int rows)}. */
  static MethodSpec.Builder forwardKernel(String name, boolean bias) {
    return forwardKernelHead(name, bias).addParameter(int.class, "rows");
  }

  /**
   * A dense forward kernel over rows {@code [from, to)}, whole blocks of {@link #B}:
   * {@code (float[] x, float[] w, [float[] b,] float[] h, int from, int to)} (see {@link DenseKernels#forwardSplitsRows}).
   */
  static MethodSpec.Builder rowRangeForwardKernel(String name, boolean bias) {
    return forwardKernelHead(name, bias).addParameter(int.class, "from").addParameter(int.class, "to");
  }

  private static MethodSpec.Builder forwardKernelHead(String name, boolean bias) {
    MethodSpec.Builder m = kernel(name).addParameter(FLOATS, "x").addParameter(FLOATS, "w");
    if (bias) m.addParameter(FLOATS, "b");
    return m.addParameter(FLOATS, "h");
  }

  /** A sparse forward kernel's signature: the row index, {@code w, [b,] h, rows}, then the part. */
  static MethodSpec.Builder sparseForwardKernel(String name, boolean bias) {
    MethodSpec.Builder m = sparseRowKernel(name).addParameter(FLOATS, "w");
    if (bias) m.addParameter(FLOATS, "b");
    return addParts(m.addParameter(FLOATS, "h").addParameter(int.class, "rows"));
  }

  /** The last parameters of a kernel whose work splits: it does part {@code part} of {@code parts}. */
  static MethodSpec.Builder addParts(MethodSpec.Builder m) {
    return m.addParameter(int.class, "part").addParameter(int.class, "parts");
  }

  @Override
  public List<MethodSpec> kernelGradient(LayerKernel.Dense layer, String name) {
    int k = layer.layer().inputs();
    int n = layer.layer().units();
    int blocked = k - k % B;
    MethodSpec.Builder m = kernel(name)
        .addParameter(FLOATS, "x").addParameter(FLOATS, "dz").addParameter(FLOATS, "dw").addParameter(int.class, "rows");
    if (blocked > 0) {
      m.addComment("four rows of dW at a time: each row of dZ is loaded once per four features")
          .beginControlFlow("for (int k = 0; k < $L; k += $L)", blocked, B)
          .addStatement(offsets("w", "k * " + n, n))
          .addStatement("$T.fill(dw, w0, w0 + $L, 0f)", Arrays.class, B * n)
          .beginControlFlow("for (int i = 0; i < rows; i++)")
          .addStatement("int xi = i * $L + k", k)
          .addStatement(loads("a", r -> r == 0 ? "x[xi]" : "x[xi + " + r + "]"))
          .beginControlFlow("if ($L)", allZero("a"))
          .addStatement("continue")
          .endControlFlow()
          .addStatement("int zi = i * $L", n)
          .beginControlFlow("for (int j = 0; j < $L; j++)", n)
          .addStatement("float d = dz[zi + j]");
      for (int r = 0; r < B; r++) m.addStatement("dw[w$L + j] += a$L * d", r, r);
      m.endControlFlow().endControlFlow().endControlFlow();
    }
    addKernelGradientTail(m, blocked, k, n);
    return List.of(m.build());
  }

  @Override
  public MethodSpec biasGradient(LayerKernel.Dense layer, String name) {
    int n = layer.layer().units();
    return kernel(name)
        .addParameter(FLOATS, "dz").addParameter(FLOATS, "db").addParameter(int.class, "rows")
        .addStatement("$T.fill(db, 0f)", Arrays.class)
        .beginControlFlow("for (int i = 0; i < rows; i++)")
        .addStatement("int zi = i * $L", n)
        .beginControlFlow("for (int j = 0; j < $L; j++)", n)
        .addStatement("db[j] += dz[zi + j]")
        .endControlFlow()
        .endControlFlow()
        .build();
  }

  @Override
  public MethodSpec inputGradient(LayerKernel.Dense layer, String name) {
    int k = layer.layer().inputs();
    int n = layer.layer().units();
    int blocked = k - k % B;
    MethodSpec.Builder m = kernel(name)
        .addParameter(FLOATS, "dz").addParameter(FLOATS, "w").addParameter(FLOATS, "dx").addParameter(int.class, "rows")
        .beginControlFlow("for (int i = 0; i < rows; i++)")
        .addStatement("int zi = i * $L", n)
        .addStatement("int xi = i * $L", k);
    if (blocked > 0) {
      m.addComment("four dot products at a time share each load of the dZ row")
          .beginControlFlow("for (int k = 0; k < $L; k += $L)", blocked, B)
          .addStatement(offsets("w", "k * " + n, n))
          .addStatement(loads("s", r -> "0f"))
          .beginControlFlow("for (int j = 0; j < $L; j++)", n)
          .addStatement("float d = dz[zi + j]");
      for (int r = 0; r < B; r++) m.addStatement("s$L += d * w[w$L + j]", r, r);
      m.endControlFlow();
      for (int r = 0; r < B; r++) m.addStatement("dx[xi + k$L] = s$L", r == 0 ? "" : " + " + r, r);
      m.endControlFlow();
    }
    addInputGradientTail(m, blocked, k, n);
    return m.endControlFlow().build();
  }

  /** Applies the activation in place to the block's rows {@code h0 .. h0 + 4n}, once their sums are complete. */
  static void addActivationPass(MethodSpec.Builder m, ActivationCode activation, int n) {
    switch (activation.activation()) {
      case LINEAR -> { }
      case SOFTMAX -> {
        m.beginControlFlow("for (int o = h0; o < h0 + $L; o += $L)", B * n, n)
            .addCode(ActivationCode.softmaxRow("h", "o", n))
            .endControlFlow();
      }
      default -> m.beginControlFlow("for (int j = h0; j < h0 + $L; j++)", B * n)
          .addStatement("h[j] = $L", activation.apply("h[j]"))
          .endControlFlow();
    }
  }

  /** The rows of dW for the features left over from the blocks of four, one at a time. */
  static void addKernelGradientTail(MethodSpec.Builder m, int blocked, int k, int n) {
    if (blocked < k) {
      m.addComment("the features left over from the blocks of four")
          .beginControlFlow("for (int k = $L; k < $L; k++)", blocked, k)
          .addStatement("int w0 = k * $L", n)
          .addStatement("$T.fill(dw, w0, w0 + $L, 0f)", Arrays.class, n)
          .beginControlFlow("for (int i = 0; i < rows; i++)")
          .addStatement("float a0 = x[i * $L + k]", k)
          .beginControlFlow("if (a0 == 0f)")
          .addStatement("continue")
          .endControlFlow()
          .addStatement("int zi = i * $L", n)
          .beginControlFlow("for (int j = 0; j < $L; j++)", n)
          .addStatement("dw[w0 + j] += a0 * dz[zi + j]")
          .endControlFlow().endControlFlow().endControlFlow();
    }
  }

  /** The input-gradient entries for the features left over from the blocks of four; inside the row loop. */
  static void addInputGradientTail(MethodSpec.Builder m, int blocked, int k, int n) {
    if (blocked < k) {
      m.beginControlFlow("for (int k = $L; k < $L; k++)", blocked, k)
          .addStatement("int w0 = k * $L", n)
          .addStatement("float s0 = 0f")
          .beginControlFlow("for (int j = 0; j < $L; j++)", n)
          .addStatement("s0 += dz[zi + j] * w[w0 + j]")
          .endControlFlow()
          .addStatement("dx[xi + k] = s0")
          .endControlFlow();
    }
  }

  static MethodSpec.Builder kernel(String name) {
    return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC);
  }

  /** {@code int p0 = start, p1 = p0 + stride, ...} for the block's rows. */
  static CodeBlock offsets(String prefix, String start, int stride) {
    StringBuilder s = new StringBuilder("int " + prefix + "0 = " + start);
    for (int r = 1; r < B; r++) {
      s.append(", ").append(prefix).append(r).append(" = ").append(prefix).append(r - 1).append(" + ").append(stride);
    }
    return CodeBlock.of("$L", s);
  }

  /** {@code float a0 = .., a1 = .., ...}. */
  static CodeBlock loads(String prefix, java.util.function.IntFunction<String> value) {
    StringBuilder s = new StringBuilder("float ");
    for (int r = 0; r < B; r++) {
      if (r > 0) s.append(", ");
      s.append(prefix).append(r).append(" = ").append(value.apply(r));
    }
    return CodeBlock.of("$L", s);
  }

  static String allZero(String prefix) {
    StringBuilder s = new StringBuilder();
    for (int r = 0; r < B; r++) {
      if (r > 0) s.append(" && ");
      s.append(prefix).append(r).append(" == 0f");
    }
    return s.toString();
  }
}
