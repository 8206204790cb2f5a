package dev.nnc.compiler.emit;

import static dev.nnc.compiler.emit.ScalarDenseKernels.B;
import static dev.nnc.compiler.emit.ScalarDenseKernels.FLOATS;
import static dev.nnc.compiler.emit.ScalarDenseKernels.kernel;
import static dev.nnc.compiler.emit.VectorDenseKernels.FLOAT_VECTOR;
import static dev.nnc.compiler.emit.VectorDenseKernels.VECTOR_OPERATORS;
import static dev.nnc.compiler.emit.VectorDenseKernels.lanes;

import com.palantir.javapoet.MethodSpec;
import dev.nnc.compiler.plan.LayerKernel;
import java.util.ArrayList;
import java.util.List;

/**
 * Vector kernels for a narrow layer (fewer units than two vectors: 10 classes, say), whose kernel
 * the class keeps transposed, {@code wt[units][inputs]}. A row-major {@code [inputs][10]} kernel
 * has no whole vector of columns on 16 lanes, and only one on 8; transposed, every product runs
 * along the long side: the forward pass as dot products of input rows with kernel rows, the
 * input gradient as sums of kernel rows, the weight gradient as sums of input rows.
 */
final class NarrowVectorKernels {
  /**
   * Most outputs per block, the blocks splitting the outputs as evenly as can be (10 as two of 5):
   * 10 accumulators (2 rows or 2 vectors of input features x 5 outputs), 13 vector registers with
   * the two input vectors and a kernel row or a broadcast, within AVX2's 16. Each block's loop runs
   * as long as its accumulators' chains of multiply-adds, whatever their number: the MNIST
   * example's forward pass took 27-28 µs a batch of 128 as 4 + 4 + 2 outputs, 22-23 µs as 5 + 5
   * (AVX-512).
   */
  private static final int BLOCK_OUTPUTS = 5;

  private NarrowVectorKernels() {}

  /**
   * Where each block of outputs starts when {@code n} outputs are split into blocks of at most
   * {@code most}, as evenly as can be, then {@code n}: 10 by 5 gives {0, 5, 10}, 11 by 5 {0, 3, 7, 11}.
   */
  static int[] evenBlockStarts(int n, int most) {
    int blocks = (n + most - 1) / most;
    int[] starts = new int[blocks + 1];
    for (int b = 0; b < blocks; b++) starts[b + 1] = starts[b] + (n - starts[b]) / (blocks - b);
    return starts;
  }

  /** Vectors of the scratch where {@link #forward} sums its accumulators' lanes: every accumulator of a block. */
  static final int SCRATCH_VECTORS = 2 * BLOCK_OUTPUTS;

  /**
   * {@code h[i][c] = act(b[c] + x[i]·wt[c])} for rows {@code [from, to)}: 2 rows x up to
   * {@value #BLOCK_OUTPUTS} outputs of dot products at a time, summed across lanes at the end in the
   * caller's scratch, its last parameter {@code lanes} ({@link #SCRATCH_VECTORS} vectors), so that a
   * call allocates nothing (a scratch of the thread's own: a step's two threads call it at once).
   */
  static MethodSpec forward(LayerKernel.Dense layer, String name, ActivationCode activation) {
    int k = layer.layer().inputs();
    int n = layer.layer().units();
    boolean bias = layer.bias() != null;
    MethodSpec.Builder m = ScalarDenseKernels.rowRangeForwardKernel(name, bias);
    m.addParameter(FLOATS, "lanes");
    m.addStatement("int vectors = $L - $L % LANES", k, k);
    // every accumulator of a block is stored in lanes at once, so that one loop over the outputs sums them
    m
        .beginControlFlow("for (int i = from; i < to; i += 2)")
        .addStatement("int x0 = i * $L, x1 = x0 + $L", k, k)
        .addStatement("int h0 = i * $L, h1 = h0 + $L", n, n);
    // block after block: as one loop over the blocks the batch of 128 took 24.4-24.9 µs instead of 21.1-21.4
    forEachBlock(m, n, false, g -> forwardBlock(m, k, g, "c", bias));
    m.endControlFlow();
    if (activation.activation() != dev.nnc.compiler.model.Activation.LINEAR) {
      m.beginControlFlow("for (int i = from; i < to; i += $L)", B).addStatement("int h0 = i * $L", n);
      ScalarDenseKernels.addActivationPass(m, activation, n);
      m.endControlFlow();
    }
    return m.build();
  }

  /**
   * The blocks of outputs ({@link #evenBlockStarts}), each a scope where {@code int c} is its first
   * output, written by {@code block} given its size; with {@code asLoops}, a run of blocks of one
   * size as one loop over {@code c} (10 outputs: {@code for (int c = 0; c < 10; c += 5)}), which the
   * JIT compiles once: the MNIST example's weight gradient, written out block by block, took 48 ms
   * of the optimizing compiler's time before the first step (7.7 KB of code), as a loop 29-35 ms
   * (3.1 KB), and runs as fast.
   */
  private static void forEachBlock(MethodSpec.Builder m, int n, boolean asLoops, java.util.function.IntConsumer block) {
    int[] starts = evenBlockStarts(n, BLOCK_OUTPUTS);
    for (int b = 0, e; b + 1 < starts.length; b = e) {
      int g = starts[b + 1] - starts[b];
      e = b + 1;
      while (asLoops && e + 1 < starts.length && starts[e + 1] - starts[e] == g) e++;
      if (e == b + 1) m.beginControlFlow("").addStatement("int c = $L", starts[b]);
      else m.beginControlFlow("for (int c = $L; c < $L; c += $L)", starts[b], starts[e], g);
      block.accept(g);
      m.endControlFlow();
    }
  }

  private static void forwardBlock(MethodSpec.Builder m, int k, int g, String c, boolean bias) {
    for (int o = 0; o < g; o++) m.addStatement("$T s0$L = $T.zero(SPECIES), s1$L = s0$L", FLOAT_VECTOR, o, FLOAT_VECTOR, o, o);
    m.beginControlFlow("for (int k = 0; k < vectors; k += LANES)")
        .addStatement("$T a0 = $T.fromArray(SPECIES, x, x0 + k), a1 = $T.fromArray(SPECIES, x, x1 + k)",
            FLOAT_VECTOR, FLOAT_VECTOR, FLOAT_VECTOR);
    for (int o = 0; o < g; o++) {
      m.addStatement("$T w$L = $T.fromArray(SPECIES, w, ($L + $L) * $L + k)", FLOAT_VECTOR, o, FLOAT_VECTOR, c, o, k)
          .addStatement("s0$L = a0.fma(w$L, s0$L)", o, o, o)
          .addStatement("s1$L = a1.fma(w$L, s1$L)", o, o, o);
    }
    m.endControlFlow();
    for (int o = 0; o < g; o++) {
      m.addStatement("s0$L.intoArray(lanes, $L * LANES)", o, 2 * o).addStatement("s1$L.intoArray(lanes, $L * LANES)", o, 2 * o + 1);
    }
    // Each output's two sums across the lanes, lane 0 first (see VectorDenseKernels.addLaneSums), then its
    // input features past the last vector: one loop over the outputs, where the sums written out output by
    // output made the MNIST example's kernel 7.5 KB of compiled code and 41-55 ms of the optimizing
    // compiler's time before the first step; so 4.8-5.0 KB, 34-36 ms, and 18.9-20.5 us a batch of 128
    // instead of 21.6-22.9 (KernelTable, alternating).
    String b = bias ? " + b[" + c + " + o]" : "";
    m.beginControlFlow("for (int o = 0; o < $L; o++)", g)
        .addStatement("float t0 = 0f, t1 = 0f")
        .beginControlFlow("for (int l = 0; l < LANES; l++)")
        .addStatement("t0 += lanes[2 * o * LANES + l]")
        .addStatement("t1 += lanes[(2 * o + 1) * LANES + l]")
        .endControlFlow()
        .beginControlFlow("for (int k = vectors; k < $L; k++)", k)
        .addStatement("float wk = w[($L + o) * $L + k]", c, k)
        .addStatement("t0 += x[x0 + k] * wk")
        .addStatement("t1 += x[x1 + k] * wk")
        .endControlFlow()
        .addStatement("h[h0 + $L + o] = t0$L", c, b)
        .addStatement("h[h1 + $L + o] = t1$L", c, b)
        .endControlFlow();
  }

  /**
   * {@code dwt[c][k] = Σ_i dz[i][c] x[i][k]}: up to {@value #BLOCK_OUTPUTS} outputs x 2 vectors of input features at a time,
   * summed over the batch in registers; each dZ value is broadcast once per 2 vectors.
   */
  static MethodSpec kernelGradient(LayerKernel.Dense layer, String name) {
    int k = layer.layer().inputs();
    int n = layer.layer().units();
    MethodSpec.Builder m = kernel(name)
        .addParameter(FLOATS, "x").addParameter(FLOATS, "dz").addParameter(FLOATS, "dw").addParameter(int.class, "rows")
        .addStatement("int col = 0");
    addGradientColumns(m, k, n, String.valueOf(k));
    return m.build();
  }

  /**
   * The weight gradient's columns from {@code col} to {@code end}: 2 vectors of input features at a
   * time, then, where the input features are not whole blocks of them (a condition on constants), one
   * vector and one feature at a time.
   */
  private static void addGradientColumns(MethodSpec.Builder m, int k, int n, String end) {
    for (int v : new int[] {2, 1}) {
      if (v == 1) VectorDenseKernels.beginColumnsLeft(m, k, 2);
      m.beginControlFlow("for (; col + $L * LANES <= $L; col += $L * LANES)", v, end, v);
      forEachBlock(m, n, true, g -> gradientBlock(m, k, n, g, v));
      m.endControlFlow();
    }
    m.beginControlFlow("for (; col < $L; col++)", end)
        .beginControlFlow("for (int c = 0; c < $L; c++)", n)
        .addStatement("float s = 0f")
        .beginControlFlow("for (int i = 0; i < rows; i++)")
        .addStatement("s += dz[i * $L + c] * x[i * $L + col]", n, k)
        .endControlFlow()
        .addStatement("dw[c * $L + col] = s", k)
        .endControlFlow()
        .endControlFlow()
        .endControlFlow();
  }

  private static void gradientBlock(MethodSpec.Builder m, int k, int n, int g, int v) {
    for (int o = 0; o < g; o++) {
      for (int u = 0; u < v; u++) m.addStatement("$T c$L$L = $T.zero(SPECIES)", FLOAT_VECTOR, o, u, FLOAT_VECTOR);
    }
    m.beginControlFlow("for (int i = 0; i < rows; i++)")
        .addStatement("int xi = i * $L + col", k)
        .addStatement("int zi = i * $L + c", n);
    for (int u = 0; u < v; u++) m.addStatement("$T a$L = $T.fromArray(SPECIES, x, xi$L)", FLOAT_VECTOR, u, FLOAT_VECTOR, lanes(u));
    for (int o = 0; o < g; o++) {
      m.addStatement("$T d$L = $T.broadcast(SPECIES, dz[zi + $L])", FLOAT_VECTOR, o, FLOAT_VECTOR, o);
      for (int u = 0; u < v; u++) m.addStatement("c$L$L = d$L.fma(a$L, c$L$L)", o, u, o, u, o, u);
    }
    m.endControlFlow();
    for (int o = 0; o < g; o++) {
      for (int u = 0; u < v; u++) m.addStatement("c$L$L.intoArray(dw, (c + $L) * $L + col$L)", o, u, o, k, lanes(u));
    }
  }

  /**
   * A narrow layer's backward pass over a layer whose kernels split by column panels (the layer over
   * the sparse input), by the columns of that layer a part owns, as its kernels split them (the last
   * part also the columns past the panels): this layer's weight gradient for those input features,
   * its input gradient into them, and the layer below's relu' (with {@code relu}) and bias gradient
   * (with {@code bias}) for them. Each thread then works on the columns of {@code x} it computed in
   * the forward pass, and the step has no pass of the layer below's outputs on one thread alone.
   * Every sum takes its terms in the order {@link #kernelGradient}, {@link #inputGradient} and the
   * separate activation and bias kernels take them, so the results are the same to the bit.
   * {@code (float[] x, float[] dz, float[] w, float[] dw, float[] g, [float[] db,] int rows, int part, int parts)}:
   * {@code x} is the layer below's output, {@code g} its output gradient, made its pre-activation gradient in place.
   */
  static MethodSpec columnBackward(LayerKernel.Dense above, boolean relu, boolean bias, String name) {
    int k = above.layer().inputs();
    int n = above.layer().units();
    MethodSpec.Builder m = kernel(name)
        .addParameter(FLOATS, "x").addParameter(FLOATS, "dz").addParameter(FLOATS, "w").addParameter(FLOATS, "dw")
        .addParameter(FLOATS, "g");
    if (bias) m.addParameter(FLOATS, "db");
    m.addParameter(int.class, "rows").addParameter(int.class, "part").addParameter(int.class, "parts")
        .addComment("the part's column panels of the layer below, as its kernels split them")
        .addStatement("int width = $L", PanelVectorKernels.WIDTH)
        .addStatement("int panels = ($L - $L % width) / width", k, k)
        .addStatement("int colStart = panels * part / parts * width")
        .addStatement("int colEnd = part == parts - 1 ? $L : panels * (part + 1) / parts * width", k)
        .addComment("this layer's weight gradient of the part's input features")
        .addStatement("int col = colStart");
    // The parts' bounds are whole panels but the last part's end: the narrower loops run only where the input
    // features are not whole blocks (a condition on constants, which the JIT does not compile in where false).
    addGradientColumns(m, k, n, "colEnd");
    m.addComment("its input gradient of the part's columns, the layer below's activation derivative and bias gradient")
        .addStatement("col = colStart");
    for (int v : new int[] {8, 1}) {
      if (v == 1) VectorDenseKernels.beginColumnsLeft(m, k, 8);
      m.beginControlFlow("for (; col + $L * LANES <= colEnd; col += $L * LANES)", v, v);
      if (bias) for (int u = 0; u < v; u++) m.addStatement("$T b$L = $T.zero(SPECIES)", FLOAT_VECTOR, u, FLOAT_VECTOR);
      m.beginControlFlow("for (int i = 0; i < rows; i++)")
          .addStatement("int zi = i * $L, xi = i * $L + col", n, k);
      addInputGradientSums(m, k, n, v);
      for (int u = 0; u < v; u++) {
        if (relu) {
          m.addStatement("s$L = $T.zero(SPECIES).blend(s$L, $T.fromArray(SPECIES, x, xi$L).compare($T.GT, 0f))", u, FLOAT_VECTOR, u,
              FLOAT_VECTOR, lanes(u), VECTOR_OPERATORS);
        }
        m.addStatement("s$L.intoArray(g, xi$L)", u, lanes(u));
        if (bias) m.addStatement("b$L = b$L.add(s$L)", u, u, u);
      }
      m.endControlFlow();
      if (bias) for (int u = 0; u < v; u++) m.addStatement("b$L.intoArray(db, col$L)", u, lanes(u));
      m.endControlFlow();
    }
    m.beginControlFlow("for (; col < colEnd; col++)");
    if (bias) m.addStatement("float b = 0f");
    m.beginControlFlow("for (int i = 0; i < rows; i++)")
        .addStatement("int zi = i * $L, xi = i * $L + col", n, k)
        .addStatement("float s = 0f")
        .beginControlFlow("for (int c = 0; c < $L; c++)", n)
        .addStatement("s += dz[zi + c] * w[c * $L + col]", k)
        .endControlFlow();
    if (relu) m.addStatement("s = x[xi] > 0f ? s : 0f");
    m.addStatement("g[xi] = s");
    if (bias) m.addStatement("b += s");
    m.endControlFlow();
    if (bias) m.addStatement("db[col] = b");
    return m.endControlFlow().endControlFlow().build();
  }

  /** {@code s0..s(v-1)}: row {@code zi}'s input gradient at {@code col}, {@code v} vectors, its outputs' terms in order. */
  private static void addInputGradientSums(MethodSpec.Builder m, int k, int n, int v) {
    for (int u = 0; u < v; u++) m.addStatement("$T s$L = $T.zero(SPECIES)", FLOAT_VECTOR, u, FLOAT_VECTOR);
    m.beginControlFlow("for (int c = 0; c < $L; c++)", n)
        .addStatement("$T d = $T.broadcast(SPECIES, dz[zi + c])", FLOAT_VECTOR, FLOAT_VECTOR)
        .addStatement("int wc = c * $L + col", k);
    for (int u = 0; u < v; u++) m.addStatement("s$L = d.fma($T.fromArray(SPECIES, w, wc$L), s$L)", u, FLOAT_VECTOR, lanes(u), u);
    m.endControlFlow();
  }

  /**
   * {@code dx[i] = Σ_c dz[i][c] wt[c]}: 8 vectors of input features per row at a time, one broadcast
   * per output. Each accumulator's chain is one multiply-add per output long, so the block's width
   * decides how many run at once: with 4 vectors the MNIST example's took 14.3-14.8 µs a batch, with
   * 8 12.7-13.0 (AVX-512; 10 vector registers, within AVX2's 16).
   */
  static MethodSpec inputGradient(LayerKernel.Dense layer, String name) {
    int k = layer.layer().inputs();
    int n = layer.layer().units();
    MethodSpec.Builder m = kernel(name)
        .addParameter(FLOATS, "dz").addParameter(FLOATS, "w").addParameter(FLOATS, "dx").addParameter(int.class, "rows")
        .beginControlFlow("for (int i = 0; i < rows; i++)")
        .addStatement("int zi = i * $L", n)
        .addStatement("int xi = i * $L", k)
        .addStatement("int col = 0");
    for (int v : new int[] {8, 1}) {
      if (v == 1) VectorDenseKernels.beginColumnsLeft(m, k, 8);
      m.beginControlFlow("for (; col + $L * LANES <= $L; col += $L * LANES)", v, k, v);
      addInputGradientSums(m, k, n, v);
      for (int u = 0; u < v; u++) m.addStatement("s$L.intoArray(dx, xi + col$L)", u, lanes(u));
      m.endControlFlow();
    }
    return m.beginControlFlow("for (; col < $L; col++)", k)
        .addStatement("float s = 0f")
        .beginControlFlow("for (int c = 0; c < $L; c++)", n)
        .addStatement("s += dz[zi + c] * w[c * $L + col]", k)
        .endControlFlow()
        .addStatement("dx[xi + col] = s")
        .endControlFlow()
        .endControlFlow()
        .endControlFlow()
        .build();
  }
}
