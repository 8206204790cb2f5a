package dev.nnc.compiler.emit;

import static dev.nnc.compiler.emit.ScalarDenseKernels.B;
import static dev.nnc.compiler.emit.ScalarDenseKernels.FLOATS;
import static dev.nnc.compiler.emit.ScalarDenseKernels.kernel;
import static dev.nnc.compiler.emit.ScalarDenseKernels.offsets;
import static dev.nnc.compiler.emit.VectorDenseKernels.FLOAT_VECTOR;
import static dev.nnc.compiler.emit.VectorDenseKernels.lanes;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.nnc.compiler.model.Activation;
import dev.nnc.compiler.plan.LayerKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/**
 * Vector kernels for the layer that reads the model's input, whose kernel the class keeps in
 * contiguous panels of {@code 8 * LANES} columns ({@link KernelLayout.Panels}), with the columns
 * past the last whole panel row-major after them.
 *
 * <p>The sparse kernels, over the index of the batch's non-zero inputs, are the fast path: per
 * non-zero input, 8 vectors of one panel row (8 independent FMA chains), the panel (200 KB for 784
 * inputs on 8 lanes) staying in cache for the whole batch; on AVX-512, the forward pass and the
 * weight gradient go over pairs of input features, both features' panel rows or sums in registers.
 * The dense kernels, for batches too dense for the index, block 4 rows by 2 vectors, as the other
 * wide layers do.
 */
final class PanelVectorKernels {
  /** Vectors per panel. */
  static final int V = 8;
  /** Where the panels start in their arrays (see {@link KernelLayout.Panels}). */
  private static final String START = KernelLayout.Panels.START;
  /** The panel width, a Java expression; {@code LANES} is a constant once the class loads. */
  static final String WIDTH = V + " * LANES";

  private PanelVectorKernels() {}

  static KernelLayout layout(LayerKernel.Dense layer) {
    return new KernelLayout.Panels(layer.layer().inputs(), layer.layer().units(), WIDTH);
  }

  static String scratchField(String stem) {
    return stem + "GradientPanel";
  }

  /**
   * Each part's own panel-wide scratch, {@code [2][ROWS][width]}, one contiguous block per part so
   * that the two threads never write to the same cache line. The weight gradient copies half of a
   * panel of dZ into it, one half of the rows at a time: its rows in dZ lie a power of two apart and
   * would evict each other from cache, and half of them (32 KB) fit in the first-level cache that a
   * whole panel (64 KB at batch 128) overflows. The sparse forward pass keeps a panel's sums in it
   * between blocks: in {@code h}, the two parts' columns of a row meet inside a cache line (the
   * array's data start 16 bytes into a line), which then went back and forth between the cores at
   * every block, about 50 µs of a 650 µs MNIST step. The weight gradient loads a vector of it for
   * each multiply-add, so it lies on cache lines as the kernel does: where the kernel's arrays are
   * made long enough for G1 to align them ({@link KernelLayout.Panels#REGION_STARTED_FLOATS}), so is
   * this one (without, in 3 JVMs of 4 the fused weight gradient and step took 480-490 µs, not 390).
   */
  static void addScratch(TypeSpec.Builder type, LayerKernel.Dense layer, String stem) {
    type.addField(FieldSpec.builder(FLOATS, scratchField(stem), Modifier.PRIVATE, Modifier.FINAL)
        .addJavadoc("Each part's panel of $L: sums of the forward pass or half of the output gradient, [2][ROWS][$L] from $L on.\n",
            stem, WIDTH, START)
        .initializer("new float[$L]", KernelLayout.Panels.arrayLength(START + " + 2 * ROWS * " + WIDTH, layer.kernel().size()))
        .build());
  }

  /** {@code int width = 8 * LANES, paneled = .., rest = ..}: the layout's sizes, constants to the JIT. */
  private static void addLayoutSizes(MethodSpec.Builder m, int n) {
    m.addStatement("int width = $L", WIDTH)
        .addStatement("int paneled = $L - $L % width", n, n)
        .addStatement("int rest = $L - paneled", n);
  }

  /**
   * {@code colStart}, {@code colEnd}, {@code col}: the part's whole panels (parts split the panels;
   * the last part also takes the columns past them).
   */
  private static void addPartPanels(MethodSpec.Builder m) {
    m.addStatement("int panels = paneled / width")
        .addStatement("int colStart = panels * part / parts * width, colEnd = panels * (part + 1) / parts * width")
        .addStatement("int col = colStart");
  }

  /**
   * The method that does one panel of {@code kernel}'s part, {@code <name>Panel}: it takes the
   * kernel's parameters so far, with the panel's first column {@code col} in place of {@code parts}.
   * The kernels run long loops, and HotSpot (which the launcher has do without on-stack replacement,
   * see bin/nnc) runs a method in the code it had when the call began: one panel a call lets the
   * first training steps of the JIT warm-up leave the interpreter after a panel rather than after
   * the whole layer, and brings the panels' code to the optimizing compiler in a few steps.
   */
  private static MethodSpec.Builder panelMethod(MethodSpec.Builder kernel, String name) {
    return panelMethod(kernel, name + "Panel", List.of());
  }

  /** {@link #panelMethod(MethodSpec.Builder, String)} called {@code name}, without the kernel's parameters {@code leftOut}. */
  private static MethodSpec.Builder panelMethod(MethodSpec.Builder kernel, String name, List<String> leftOut) {
    MethodSpec signature = kernel.build();
    MethodSpec.Builder panel = kernel(name);
    signature.parameters().stream().filter(p -> !p.name().equals("parts") && !leftOut.contains(p.name())).forEach(panel::addParameter);
    return panel.addParameter(int.class, "col");
  }

  /**
   * {@code col} at the columns past the whole panels, and {@code restEnd}, where the part's share of
   * them ends: the last part takes them all, the others none. {@code (part + 1) / parts} is 1 in the
   * last part and 0 in the others: a bound, not a branch on the part, whose other side a JIT warmed up
   * on one part would have left out (the first training step on two threads then threw the compiled
   * kernel away).
   */
  private static void addPartRest(MethodSpec.Builder kernel) {
    kernel.addStatement("col = paneled")
        .addStatement("int restEnd = paneled + (part + 1) / parts * rest");
  }

  /** The kernel's loop over its part's panels, calling {@code panel} for each. */
  private static void addPanelLoop(MethodSpec.Builder kernel, MethodSpec.Builder panel) {
    kernel.beginControlFlow("for (; col < colEnd; col += width)")
        .addStatement("$L", callOf(panel))
        .endControlFlow();
  }

  /**
   * {@link #addPanelLoop}, from the part's last panel to its first, for the weight gradient: the forward
   * pass walked them first to last, so the panel whose weights it read last is still in the second-level
   * cache when the gradient's step reads them again, and the panel the step writes last is the one the next
   * forward pass starts with (a core's 1 MB of it holds one panel's weights and mean squares, not two).
   * The MNIST example's weight gradient and step: about 2 µs sooner of their 110-114 a step on two threads.
   */
  private static void addPanelLoopFromLast(MethodSpec.Builder kernel, MethodSpec.Builder panel) {
    kernel.beginControlFlow("for (col = colEnd - width; col >= colStart; col -= width)")
        .addStatement("$L", callOf(panel))
        .endControlFlow();
  }

  /** The call of {@code panel} that passes on the caller's parameters of the same names: {@code name(a, b, c)}. */
  private static String callOf(MethodSpec.Builder panel) {
    MethodSpec p = panel.build();
    return p.name() + "(" + argumentList(p) + ")";
  }

  /** {@code method}'s parameters as the arguments of a call that passes them on: {@code "a, b, c"}. */
  private static String argumentList(MethodSpec method) {
    return method.parameters().stream().map(ParameterSpec::name).collect(Collectors.joining(", "));
  }

  /**
   * Dense {@code h = act(x·W + b)} for rows {@code [from, to)}: 4 rows x 4 vectors of one panel's
   * columns at a time with AVX-512's 32 registers (16 accumulators; 4 rows x 2 vectors with AVX2's 16),
   * each weight vector loaded once for the 4 rows and each input once for the vectors. (2048 x 2048,
   * batch 128, one thread, AVX-512: 4 x 2 9.1 ms a call, 4 x 4 8.5.)
   */
  static List<MethodSpec> forward(LayerKernel.Dense layer, String name, ActivationCode activation) {
    int k = layer.layer().inputs();
    int n = layer.layer().units();
    boolean bias = layer.bias() != null;
    MethodSpec.Builder m = ScalarDenseKernels.rowRangeForwardKernel(name, bias);
    MethodSpec signature = m.build();
    MethodSpec wide = forwardPanels(name + "Blocks4x4", signature, k, n, bias, 4);
    MethodSpec narrow = forwardPanels(name + "Blocks4x2", signature, k, n, bias, 2);
    addLayoutSizes(m, n);
    addBlockingCall(m, wide, narrow, argumentList(signature));
    m.addStatement("int col = paneled")
        .addComment("the columns past the last panel, row-major [$L][rest] after the panels: a vector, then one at a time", k)
        .beginControlFlow("for (; col + LANES <= $L; col += LANES)", n)
        .addStatement("int wt = $L + paneled * $L + col - paneled", START, k)
        .addStatement(bias ? "$T bias0 = $T.fromArray(SPECIES, b, col)" : "$T bias0 = $T.zero(SPECIES)", FLOAT_VECTOR, FLOAT_VECTOR)
        .beginControlFlow("for (int i = from; i < to; i++)")
        .addStatement("$T c = bias0", FLOAT_VECTOR)
        .beginControlFlow("for (int k = 0; k < $L; k++)", k)
        .addStatement("c = $T.broadcast(SPECIES, x[i * $L + k]).fma($T.fromArray(SPECIES, w, wt + k * rest), c)", FLOAT_VECTOR, k, FLOAT_VECTOR)
        .endControlFlow()
        .addStatement("c.intoArray(h, i * $L + col)", n)
        .endControlFlow()
        .endControlFlow()
        .beginControlFlow("for (; col < $L; col++)", n)
        .addStatement("int wt = $L + paneled * $L + col - paneled", START, k)
        .beginControlFlow("for (int i = from; i < to; i++)")
        .addStatement("float s = $L", bias ? "b[col]" : "0f")
        .beginControlFlow("for (int k = 0; k < $L; k++)", k)
        .addStatement("s += x[i * $L + k] * w[wt + k * rest]", k)
        .endControlFlow()
        .addStatement("h[i * $L + col] = s", n)
        .endControlFlow()
        .endControlFlow();
    addActivation(m, activation, n, "from", "to");
    return List.of(m.build(), wide, narrow);
  }

  /**
   * Calls {@code wide} (AVX-512's register blocking) or {@code narrow} (AVX2's) with {@code arguments}.
   * Each blocking is a method of its own: under {@code if (LANES >= 16)} in one method, the optimizing
   * compiler compiles both before it drops the one never taken (see {@link #sparseKernelGradient}).
   */
  private static void addBlockingCall(MethodSpec.Builder m, MethodSpec wide, MethodSpec narrow, String arguments) {
    m.beginControlFlow("if (LANES >= 16)")
        .addStatement("$N($L)", wide, arguments)
        .nextControlFlow("else")
        .addStatement("$N($L)", narrow, arguments)
        .endControlFlow();
  }

  /** The forward pass over the whole panels' columns, {@code vectors} vectors of them at a time, 4 rows at a time. */
  private static MethodSpec forwardPanels(String method, MethodSpec signature, int k, int n, boolean bias, int vectors) {
    MethodSpec.Builder m = kernel(method);
    signature.parameters().forEach(m::addParameter);
    addLayoutSizes(m, n);
    m.addStatement("int col = 0");
    addForwardSlices(m, k, n, bias, vectors);
    return m.build();
  }

  /** The forward pass's loop over the panels' columns, {@code vectors} vectors of them at a time, 4 rows at a time. */
  private static void addForwardSlices(MethodSpec.Builder m, int k, int n, boolean bias, int vectors) {
    m.beginControlFlow("for (; col < paneled; col += $L * LANES)", vectors)
        .addComment("where these $L vectors of columns start in their panel; the panel's rows are width apart", vectors)
        .addStatement("int wp = $L + col / width * $L * width + col % width", START, k);
    for (int v = 0; v < vectors; v++) {
      m.addStatement("$T bias$L = $L", FLOAT_VECTOR, v, biasVector(bias, "col" + lanes(v)));
    }
    m.beginControlFlow("for (int i = from; i < to; i += $L)", B)
        .addStatement(offsets("x", "i * " + k, k))
        .addStatement(offsets("h", "i * " + n + " + col", n));
    for (int r = 0; r < B; r++) {
      StringBuilder init = new StringBuilder();
      for (int v = 0; v < vectors; v++) init.append(v > 0 ? ", " : "").append("c").append(r).append(v).append(" = bias").append(v);
      m.addStatement("$T $L", FLOAT_VECTOR, init);
    }
    m.beginControlFlow("for (int k = 0; k < $L; k++)", k)
        .addStatement("int wk = wp + k * width");
    for (int v = 0; v < vectors; v++) m.addStatement("$T w$L = $T.fromArray(SPECIES, w, wk$L)", FLOAT_VECTOR, v, FLOAT_VECTOR, lanes(v));
    for (int r = 0; r < B; r++) {
      m.addStatement("$T a$L = $T.broadcast(SPECIES, x[x$L + k])", FLOAT_VECTOR, r, FLOAT_VECTOR, r);
      for (int v = 0; v < vectors; v++) m.addStatement("c$L$L = a$L.fma(w$L, c$L$L)", r, v, r, v, r, v);
    }
    m.endControlFlow();
    for (int r = 0; r < B; r++) {
      for (int v = 0; v < vectors; v++) m.addStatement("c$L$L.intoArray(h, h$L$L)", r, v, r, lanes(v));
    }
    m.endControlFlow().endControlFlow();
  }

  /**
   * Dense {@code dW = xᵀ·dZ} into the panels: 4 input features x 4 vectors of columns at a time with
   * AVX-512's 32 registers (4 x 2 with AVX2's 16), summed over the batch in registers; with
   * {@code parts}, part {@code part} of the panels (the last part also the columns past them).
   * (2048 x 2048, batch 128, one thread: 4 x 2 15.5 ms a call, 4 x 4 13.2.)
   */
  static List<MethodSpec> kernelGradient(LayerKernel.Dense layer, String name, boolean parts) {
    int k = layer.layer().inputs();
    int n = layer.layer().units();
    MethodSpec.Builder m = kernel(name)
        .addParameter(FLOATS, "x").addParameter(FLOATS, "dz").addParameter(FLOATS, "dw").addParameter(int.class, "rows");
    if (parts) ScalarDenseKernels.addParts(m);
    addLayoutSizes(m, n);
    if (parts) {
      addPartPanels(m);
    } else {
      m.addStatement("int col = 0");
    }
    String end = parts ? "colEnd" : "paneled";
    // the panels' columns from col to end, by a method of each register blocking (see addBlockingCall)
    MethodSpec signature = kernel(name).addParameter(FLOATS, "x").addParameter(FLOATS, "dz").addParameter(FLOATS, "dw")
        .addParameter(int.class, "rows").addParameter(int.class, "col").addParameter(int.class, "end").build();
    MethodSpec wide = kernelGradientPanels(name + "Blocks4x4", signature, k, n, 4);
    MethodSpec narrow = kernelGradientPanels(name + "Blocks4x2", signature, k, n, 2);
    addBlockingCall(m, wide, narrow, "x, dz, dw, rows, col, " + end);
    m.addStatement("col = $L", end);
    if (parts) addPartRest(m);
    addRestGradient(m, k, n, parts ? "restEnd" : String.valueOf(n), "x[i * " + k + " + k]", "i * " + n + " + col",
        "for (int i = 0; i < rows; i++)", null);
    return List.of(m.build(), wide, narrow);
  }

  /** The weight gradient of the panels' columns from {@code col} to {@code end}, {@code vectors} vectors of them at a time. */
  private static MethodSpec kernelGradientPanels(String method, MethodSpec signature, int k, int n, int vectors) {
    MethodSpec.Builder m = kernel(method);
    signature.parameters().forEach(m::addParameter);
    addLayoutSizes(m, n);
    addKernelGradientSlices(m, k, n, "end", vectors);
    return m.build();
  }

  /** The weight gradient's loop over the panels' columns up to {@code end}, {@code vectors} vectors of them at a time. */
  private static void addKernelGradientSlices(MethodSpec.Builder m, int k, int n, String end, int vectors) {
    int blocked = k - k % B;
    m.beginControlFlow("for (; col < $L; col += $L * LANES)", end, vectors)
        .addStatement("int wp = $L + col / width * $L * width + col % width", START, k)
        .beginControlFlow("for (int k = 0; k < $L; k += $L)", blocked, B);
    for (int r = 0; r < B; r++) addZeros(m, "c" + r, vectors);
    m.beginControlFlow("for (int i = 0; i < rows; i++)")
        .addStatement("int zi = i * $L + col", n)
        .addStatement("int xi = i * $L + k", k);
    for (int v = 0; v < vectors; v++) m.addStatement("$T d$L = $T.fromArray(SPECIES, dz, zi$L)", FLOAT_VECTOR, v, FLOAT_VECTOR, lanes(v));
    for (int r = 0; r < B; r++) {
      m.addStatement("$T a$L = $T.broadcast(SPECIES, x[xi$L])", FLOAT_VECTOR, r, FLOAT_VECTOR, r == 0 ? "" : " + " + r);
      for (int v = 0; v < vectors; v++) m.addStatement("c$L$L = a$L.fma(d$L, c$L$L)", r, v, r, v, r, v);
    }
    m.endControlFlow();
    for (int r = 0; r < B; r++) {
      for (int v = 0; v < vectors; v++) m.addStatement("c$L$L.intoArray(dw, wp + (k + $L) * width$L)", r, v, r, lanes(v));
    }
    m.endControlFlow();
    if (blocked < k) {
      m.beginControlFlow("for (int k = $L; k < $L; k++)", blocked, k);
      addZeros(m, "c", vectors);
      m.beginControlFlow("for (int i = 0; i < rows; i++)")
          .addStatement("int zi = i * $L + col", n)
          .addStatement("$T a = $T.broadcast(SPECIES, x[i * $L + k])", FLOAT_VECTOR, FLOAT_VECTOR, k);
      for (int v = 0; v < vectors; v++) m.addStatement("c$L = a.fma($T.fromArray(SPECIES, dz, zi$L), c$L)", v, FLOAT_VECTOR, lanes(v), v);
      m.endControlFlow();
      for (int v = 0; v < vectors; v++) m.addStatement("c$L.intoArray(dw, wp + k * width$L)", v, lanes(v));
      m.endControlFlow();
    }
    m.endControlFlow();
  }

  /** {@code FloatVector p0 = FloatVector.zero(SPECIES), p1 = p0, ...}: {@code count} zero accumulators. */
  private static void addZeros(MethodSpec.Builder m, String prefix, int count) {
    StringBuilder init = new StringBuilder(prefix + "0 = FloatVector.zero(SPECIES)");
    for (int v = 1; v < count; v++) init.append(", ").append(prefix).append(v).append(" = ").append(prefix).append("0");
    m.addStatement("$T $L", FLOAT_VECTOR, init);
  }

  /**
   * {@code h = act(x·W + b)} over the row index: each row's non-zero inputs times 8 vectors of a
   * panel's row. The panel (784 rows: 400 KB on 16 lanes) is walked in blocks of rows that fill
   * 64 KB, and every row of the batch passes over a block while it is near the core, its sums held
   * in the part's block of {@code sums} between blocks and written to {@code h} at the end (each
   * row's place in its non-zero inputs in {@code cursor}): read from the second-level cache, the
   * panel rows had cost more than the FMAs. (On the MNIST batch, one thread: blocks of 64 KB 210
   * µs, 48-80 KB within 2%, 32 KB 232, 16 KB 250, 128 KB 234, the whole panel 281; fewer blocks
   * load and store each row's sums fewer times.)
   * The sums are the same: each output still adds its products in input order. That is the AVX2
   * form; with AVX-512's 32 registers a panel goes over the pairs' column index instead
   * ({@link #pairForwardPanel}), 0.80-0.85 of the time.
   */
  static List<MethodSpec> sparseForward(LayerKernel.Dense layer, String name, ActivationCode activation) {
    return sparseForward(layer, name, activation, true);
  }

  /**
   * {@link #sparseForward(LayerKernel.Dense, String, ActivationCode)}; without {@code pairs} (the
   * predictor's, which indexes rows only), the row walk on AVX-512 too, and no pairs' parameters.
   */
  static List<MethodSpec> sparseForward(LayerKernel.Dense layer, String name, ActivationCode activation, boolean pairs) {
    int k = layer.layer().inputs();
    int n = layer.layer().units();
    boolean bias = layer.bias() != null;
    boolean relu = activation.activation() == Activation.RELU;
    MethodSpec.Builder m = ScalarDenseKernels.sparseRowKernel(name).addParameter(int[].class, "cursor")
        .addParameter(FLOATS, "w");
    if (bias) m.addParameter(FLOATS, "b");
    m.addParameter(FLOATS, "h").addParameter(FLOATS, "sums").addParameter(int.class, "sumsAt");
    if (pairs) {
      for (String pair : PAIR_PARAMETERS) m.addParameter(pair.equals("pairValue") ? FLOATS : TypeName.get(int[].class), pair);
    }
    ScalarDenseKernels.addParts(m.addParameter(int.class, "rows"));
    MethodSpec.Builder p = panelMethod(m, name + "Panel", PAIR_PARAMETERS);
    MethodSpec.Builder pairPanel = pairs ? pairForwardPanel(m, name, k, n, bias, relu) : null;
    p.addStatement("int width = $L", WIDTH)
        .addStatement("int block = 65536 / (4 * width)")
        .addStatement("int cp = part * ROWS")
        .addComment("the part's sums, row after row, in its own block of the scratch (see the field)")
        .addStatement("int so = sumsAt + part * ROWS * width")
        .addStatement("int wp = $L + col * $L", START, k)
        .beginControlFlow("for (int i = 0; i < rows; i++)")
        .addStatement("int si = so + i * width");
    for (int u = 0; u < V; u++) p.addStatement("$L.intoArray(sums, si$L)", biasVector(bias, "col" + lanes(u)), lanes(u));
    p.addStatement("cursor[cp + i] = start[i]")
        .endControlFlow()
        .beginControlFlow("for (int k0 = 0; k0 < $L; k0 += block)", k)
        .addStatement("int k1 = Math.min(k0 + block, $L)", k)
        .beginControlFlow("for (int i = 0; i < rows; i++)")
        .addStatement("int p = cursor[cp + i], e = end[i]")
        .beginControlFlow("if (p == e || column[p] >= k1)")
        .addStatement("continue")
        .endControlFlow()
        .addStatement("int si = so + i * width");
    for (int u = 0; u < V; u++) p.addStatement("$T c$L = $T.fromArray(SPECIES, sums, si$L)", FLOAT_VECTOR, u, FLOAT_VECTOR, lanes(u));
    p.beginControlFlow("for (; p < e; p++)")
        .addStatement("int kp = column[p]")
        .beginControlFlow("if (kp >= k1)")
        .addStatement("break")
        .endControlFlow()
        .addStatement("int wk = wp + kp * width")
        .addStatement("$T a = $T.broadcast(SPECIES, value[p])", FLOAT_VECTOR, FLOAT_VECTOR);
    for (int u = 0; u < V; u++) p.addStatement("c$L = a.fma($T.fromArray(SPECIES, w, wk$L), c$L)", u, FLOAT_VECTOR, lanes(u), u);
    p.endControlFlow()
        .addStatement("cursor[cp + i] = p");
    for (int u = 0; u < V; u++) p.addStatement("c$L.intoArray(sums, si$L)", u, lanes(u));
    p.endControlFlow().endControlFlow();
    p.beginControlFlow("for (int i = 0; i < rows; i++)")
        .addStatement("int si = so + i * width, hi = i * $L + col", n);
    for (int u = 0; u < V; u++) {
      p.addStatement("$T.fromArray(SPECIES, sums, si$L)$L.intoArray(h, hi$L)", FLOAT_VECTOR, lanes(u), relu ? ".max(0f)" : "", lanes(u));
    }
    p.endControlFlow();
    addLayoutSizes(m, n);
    addPartPanels(m);
    if (pairs) {
      m.addComment("AVX-512's 32 registers hold two features' panel rows, AVX2's 16 do not: there, row by row")
          .beginControlFlow("for (; col < colEnd; col += width)")
          .beginControlFlow("if (LANES >= 16)")
          .addStatement("$L", callOf(pairPanel))
          .nextControlFlow("else")
          .addStatement("$L", callOf(p))
          .endControlFlow()
          .endControlFlow();
    } else {
      addPanelLoop(m, p);
    }
    addPartRest(m);
    m.addComment("the columns past the last panel, in the last part: a vector, then one at a time")
        .beginControlFlow("for (; col + LANES <= restEnd; col += LANES)")
        .addStatement("int wt = $L + paneled * $L + col - paneled", START, k)
        .beginControlFlow("for (int i = 0; i < rows; i++)")
        .addStatement(bias ? "$T c = $T.fromArray(SPECIES, b, col)" : "$T c = $T.zero(SPECIES)", FLOAT_VECTOR, FLOAT_VECTOR)
        .beginControlFlow("for (int p = start[i]; p < end[i]; p++)")
        .addStatement("c = $T.broadcast(SPECIES, value[p]).fma($T.fromArray(SPECIES, w, wt + column[p] * rest), c)", FLOAT_VECTOR, FLOAT_VECTOR)
        .endControlFlow()
        .addStatement("c$L.intoArray(h, i * $L + col)", relu ? ".max(0f)" : "", n)
        .endControlFlow()
        .endControlFlow()
        .beginControlFlow("for (; col < restEnd; col++)")
        .addStatement("int wt = $L + paneled * $L + col - paneled", START, k)
        .beginControlFlow("for (int i = 0; i < rows; i++)")
        .addStatement("float s = $L", bias ? "b[col]" : "0f")
        .beginControlFlow("for (int p = start[i]; p < end[i]; p++)")
        .addStatement("s += value[p] * w[wt + column[p] * rest]")
        .endControlFlow()
        .addStatement("h[i * $L + col] = $L", n, relu ? "Math.max(s, 0f)" : "s")
        .endControlFlow()
        .endControlFlow();
    if (!relu && activation.activation() != Activation.LINEAR) {
      // the part's own columns only; softmax, which needs whole rows, runs as one part (see splits)
      m.addStatement("int c0 = colStart, c1 = colEnd + restEnd - paneled");
      if (activation.rowWise()) {
        addActivation(m, activation, n, "0", "rows");
      } else {
        m.beginControlFlow("for (int i = 0; i < rows; i++)")
            .beginControlFlow("for (int j = i * $L + c0; j < i * $L + c1; j++)", n, n)
            .addStatement("h[j] = $L", activation.apply("h[j]"))
            .endControlFlow()
            .endControlFlow();
      }
    }
    return pairs ? List.of(m.build(), p.build(), pairPanel.build()) : List.of(m.build(), p.build());
  }

  /**
   * When the sparse forward pass and weight gradient read the pairs' column index alone (see
   * {@link DenseKernels#readsPairsAlone}): on AVX-512, where the forward pass runs over the pairs, and
   * with no columns past the last panel, which it adds row by row.
   */
  static String pairsAloneCondition(LayerKernel.Dense layer) {
    return "LANES >= 16 && " + layer.layer().units() + " % (" + WIDTH + ") == 0";
  }

  /** The sparse forward kernel's parameters for the pairs' column index (see {@link SparseInputIndex#pairForwardArguments}). */
  private static final List<String> PAIR_PARAMETERS = List.of("pairStart", "pairMiddle", "pairEnd", "pairRow", "pairValue");

  /**
   * One panel of the sparse forward pass over the column index of pairs of input features, for
   * AVX-512: per pair, both features' panel rows (16 vectors) stay in registers while the pair's
   * rows add them, times their two values, to their sums, which lie in the part's scratch, half of
   * the batch's rows at a time (32 KB, in the first-level cache). The row-by-row walk loads 8 weight
   * vectors from the second-level cache per non-zero input; this one loads and stores the sums
   * instead, 8 vectors an entry for 16 FMAs (`bench/ColumnForwardBenchmark`: 154 against 185 µs on
   * the MNIST batch, one thread). A pair's entry adds its even feature's product, then its odd
   * one's, and the pairs come in feature order: each sum takes its inputs in the row walk's order,
   * the other value of an entry being an exact 0, so the sums are the same.
   */
  private static MethodSpec.Builder pairForwardPanel(MethodSpec.Builder kernel, String name, int k, int n, boolean bias,
      boolean relu) {
    MethodSpec.Builder p = panelMethod(kernel, name + "PairPanel", List.of("start", "end", "column", "value", "cursor"));
    // the second feature of the last pair of an odd number of features is not there
    String second = k % 2 == 1 ? "2 * j + 1 < " + k : null;
    p.addStatement("int width = $L", WIDTH)
        .addComment("the part's sums, row after row, in its own block of the scratch (see the field)")
        .addStatement("int so = sumsAt + part * ROWS * width")
        .addStatement("int wp = $L + col * $L", START, k)
        .beginControlFlow("for (int half = 0; half < 2; half++)")
        .addStatement("int h0 = half * (ROWS / 2), h1 = Math.min(rows, h0 + ROWS / 2)")
        .beginControlFlow("for (int i = h0; i < h1; i++)")
        .addStatement("int si = so + (i - h0) * width");
    for (int u = 0; u < V; u++) p.addStatement("$L.intoArray(sums, si$L)", biasVector(bias, "col" + lanes(u)), lanes(u));
    p.endControlFlow()
        .beginControlFlow("for (int j = 0; j < $L; j++)", (k + 1) / 2)
        .addStatement("int q = half == 0 ? pairStart[j] : pairStart[$L + j], e = half == 0 ? pairMiddle[j] : pairEnd[j]", (k + 1) / 2)
        .beginControlFlow("if (q == e)")
        .addStatement("continue")
        .endControlFlow()
        .addComment("feature 2j's panel row; 2j + 1's follows it")
        .addStatement("int wk = wp + 2 * j * width");
    for (int u = 0; u < V; u++) p.addStatement("$T a$L = $T.fromArray(SPECIES, w, wk$L)", FLOAT_VECTOR, u, FLOAT_VECTOR, lanes(u));
    for (int u = 0; u < V; u++) {
      if (second == null) {
        p.addStatement("$T b$L = $T.fromArray(SPECIES, w, wk + width$L)", FLOAT_VECTOR, u, FLOAT_VECTOR, lanes(u));
      } else {
        p.addStatement("$T b$L = $L ? $T.fromArray(SPECIES, w, wk + width$L) : $T.zero(SPECIES)", FLOAT_VECTOR, u, second,
            FLOAT_VECTOR, lanes(u), FLOAT_VECTOR);
      }
    }
    beginPairEntries(p, "", "pairRow", "pairValue", "si", "x", "y");
    for (int u = 0; u < V; u++) {
      p.addStatement("y.fma(b$L, x.fma(a$L, $T.fromArray(SPECIES, sums, si$L))).intoArray(sums, si$L)", u, u, FLOAT_VECTOR,
          lanes(u), lanes(u));
    }
    p.endControlFlow()
        .endControlFlow()
        .beginControlFlow("for (int i = h0; i < h1; i++)")
        .addStatement("int si = so + (i - h0) * width, hi = i * $L + col", n);
    for (int u = 0; u < V; u++) {
      p.addStatement("$T.fromArray(SPECIES, sums, si$L)$L.intoArray(h, hi$L)", FLOAT_VECTOR, lanes(u), relu ? ".max(0f)" : "", lanes(u));
    }
    return p.endControlFlow().endControlFlow();
  }

  /**
   * {@code dW = Xᵀ·dZ} over the column index of pairs of input features ({@link SparseInputIndex}):
   * per pair, the sums of its rows' dZ panel rows times each feature's value, read from a contiguous
   * copy of the part's dZ panel: first of the rows below {@code ROWS / 2} (from {@code start[j]} to
   * {@code middle[j]}), the sums then kept in {@code dw}, then of the others (to {@code end[j]}), so
   * that each half of the copy fits the first-level cache; the rows still add in order, so the sums
   * are the same. Each dZ vector loaded feeds both features' FMAs: with AVX-512's 32 registers, 16
   * accumulators (8 vectors x 2 features) in one pass over the pair's rows; with AVX2's 16, 8 (4 x 2)
   * in two passes, as 16 would spill. (The MNIST batch's gradient, one thread, AVX-512: one feature at
   * a time 184-190 µs, pairs 141-146 µs, with the 17% more products of the pairs' shared rows; on
   * AVX2, in a copy of the kernel, pairs 277 µs against 283, and 454 with 16 accumulators.) With
   * {@code update}, the stored sums then take the optimizer's step on their weights at once.
   */
  static List<MethodSpec> sparseKernelGradient(LayerKernel.Dense layer, String name, OptimizerKernels optimizer) {
    int k = layer.layer().inputs();
    int n = layer.layer().units();
    MethodSpec.Builder m = ScalarDenseKernels.kernel(name).addParameter(int[].class, "start").addParameter(int[].class, "middle")
        .addParameter(int[].class, "end").addParameter(int[].class, "row").addParameter(FLOATS, "value")
        .addParameter(int[].class, "featureRows")
        .addParameter(FLOATS, "dz").addParameter(FLOATS, "scratch").addParameter(FLOATS, "dw").addParameter(FLOATS, "w");
    optimizer.addStepParameters(m, layer.kernel());
    m.addParameter(boolean.class, "update");
    ScalarDenseKernels.addParts(m);
    MethodSpec.Builder panel = panelMethod(m, name);
    // Each half of the rows is a method of its own, called twice: the MNIST example's training steps took
    // 1.10-1.11 times as long with the two halves as a loop in one method (two generated classes side by side
    // in one JVM, on one thread and on two), a method big enough that HotSpot's optimizing compiler stops
    // inlining in it ("NodeCountInliningCutoff"; the zero-gradient step is a call either way).
    // AVX-512's half and AVX2's are two methods, chosen here: with both blockings in one method under
    // `if (LANES >= 16)`, the optimizing compiler compiled the one never taken too before dropping it. In the
    // MNIST example's JIT warm-up its compile took 50-122 ms (median 95, 7 runs; Flight Recorder's
    // jdk.Compilation) against 43-133 (median 70, 9 runs) for the AVX-512 blocking alone, and the first
    // step came 0.021 s sooner (median of 6 alternating pairs of `nnc train --timings`, sooner in each).
    String wide = name + "Half", twoPasses = name + "HalfInTwoPasses";
    MethodSpec panelSignature = panel.build();
    Optional<MethodSpec> decay = optimizer.zeroGradientUpdate(layer.kernel());
    // AVX-512's 32 registers: 16 accumulators (8 vectors x 2 features) in one pass; AVX2's 16: two passes of 4 x 2
    MethodSpec widePasses = pairGradientHalf(wide, panelSignature, layer, optimizer, decay.isPresent(), List.of(new int[] {0, V}));
    MethodSpec narrowPasses = pairGradientHalf(twoPasses, panelSignature, layer, optimizer, decay.isPresent(),
        List.of(new int[] {0, V / 2}, new int[] {V / 2, V}));
    panel.beginControlFlow("for (int half = 0; half < 2; half++)");
    addBlockingCall(panel, widePasses, narrowPasses, argumentList(panelSignature) + ", half");
    panel.endControlFlow();
    addLayoutSizes(m, n);
    addPartPanels(m);
    addPanelLoopFromLast(m, panel);
    addPartRest(m);
    addRestGradient(m, k, n, "restEnd", "value[2 * p + (k & 1)]", "row[p] * " + n + " + col",
        String.format("for (int h = 0; h < 2; h++) for (int p = h == 0 ? start[k >> 1] : start[%d + (k >> 1)], "
            + "pe = h == 0 ? middle[k >> 1] : end[k >> 1]; p < pe; p++)", (k + 1) / 2), optimizer);
    List<MethodSpec> methods = new ArrayList<>(List.of(m.build(), panel.build(), widePasses, narrowPasses));
    decay.ifPresent(methods::add);
    return methods;
  }

  /**
   * One half of the rows of a panel of the pairs' weight gradient ({@link #sparseKernelGradient}),
   * {@code method} with the panel method's parameters and {@code half}: the half's dZ rows copied,
   * then per pair {@code passes} over its entries (each the panel's vectors {@code [from, to)}), then,
   * with {@code update}, the optimizer's step on both features' panel rows.
   */
  private static MethodSpec pairGradientHalf(String method, MethodSpec panelSignature, LayerKernel.Dense layer,
      OptimizerKernels optimizer, boolean decay, List<int[]> passes) {
    int k = layer.layer().inputs();
    int n = layer.layer().units();
    MethodSpec.Builder p = kernel(method);
    panelSignature.parameters().forEach(p::addParameter);
    p.addParameter(int.class, "half");
    p.addStatement("int width = $L", WIDTH)
        .addComment("each part copies into its own block of the scratch")
        .addStatement("int so = $L + part * ROWS * width", START)
        .addStatement("int wp = $L + col * $L", START, k)
        .addStatement("int h0 = half * (ROWS / 2)")
        .beginControlFlow("for (int i = 0; i < ROWS / 2; i++)")
        .addStatement("$T.arraycopy(dz, (h0 + i) * $L + col, scratch, so + i * width, width)", System.class, n)
        .endControlFlow()
        .beginControlFlow("for (int j = 0; j < $L; j++)", (k + 1) / 2)
        .addComment("feature 2j's panel row; 2j + 1's follows it")
        .addStatement("int wk = wp + 2 * j * width")
        .addStatement("int p0 = half == 0 ? start[j] : start[$L + j], e = half == 0 ? middle[j] : end[j]", (k + 1) / 2)
        .addComment("a pair with no non-zero input in the first half of the rows (blank pixels) stores no zero")
        .addComment("sums there, and the second half starts from zero instead of them")
        .beginControlFlow("if (half == 0 && p0 == e)")
        .addStatement("continue")
        .endControlFlow()
        .addStatement("boolean carried = half == 1 && start[j] < middle[j]");
    // the second feature of the last pair of an odd number of features is not there
    String second = k % 2 == 1 ? "2 * j + 1 < " + k : null;
    for (int[] pass : passes) addPairGradientPass(p, pass[0], pass[1], second);
    // The step is the optimizer's own update kernel, over the panel rows just stored (they are in the
    // first-level cache), which HotSpot inlines here. Written out 8 times in this method, it had made
    // it so big that the JIT sometimes left its vectors as objects; as a method of its own, it is
    // compiled after its first few calls, where the interpreter used to take the first steps of the
    // JIT warm-up through every weight.
    p.beginControlFlow("if (half == 1 && update)");
    addFeatureStep(p, layer, optimizer, decay, "2 * j", "wk");
    if (second != null) p.beginControlFlow("if ($L)", second);
    addFeatureStep(p, layer, optimizer, decay, "2 * j + 1", "wk + width");
    if (second != null) p.endControlFlow();
    p.endControlFlow().endControlFlow();
    return p.build();
  }

  /**
   * One pass of the pairs' weight gradient over the pair's rows from {@code p0} to {@code e}, for the
   * panel's vectors {@code [from, to)}: each dZ vector times both features' values, the sums starting
   * from {@code dw} when {@code carried}, stored there after; the second feature's loaded and stored
   * only where {@code second} holds, when it is not null.
   */
  private static void addPairGradientPass(MethodSpec.Builder p, int from, int to, String second) {
    String carriedSecond = second == null ? "carried" : "carried && " + second;
    for (int u = from; u < to; u++) {
      p.addStatement("$T c$L = carried ? $T.fromArray(SPECIES, dw, wk$L) : $T.zero(SPECIES)", FLOAT_VECTOR, u, FLOAT_VECTOR,
          lanes(u), FLOAT_VECTOR);
      p.addStatement("$T d$L = $L ? $T.fromArray(SPECIES, dw, wk + width$L) : $T.zero(SPECIES)", FLOAT_VECTOR, u, carriedSecond,
          FLOAT_VECTOR, lanes(u), FLOAT_VECTOR);
    }
    beginPairEntries(p, "int q = p0", "row", "value", "zi", "a", "b");
    for (int u = from; u < to; u++) {
      p.addStatement("$T z$L = $T.fromArray(SPECIES, scratch, zi$L)", FLOAT_VECTOR, u, FLOAT_VECTOR, lanes(u))
          .addStatement("c$L = a.fma(z$L, c$L)", u, u, u)
          .addStatement("d$L = b.fma(z$L, d$L)", u, u, u);
    }
    p.endControlFlow();
    for (int u = from; u < to; u++) p.addStatement("c$L.intoArray(dw, wk$L)", u, lanes(u));
    if (second != null) p.beginControlFlow("if ($L)", second);
    for (int u = from; u < to; u++) p.addStatement("d$L.intoArray(dw, wk + width$L)", u, lanes(u));
    if (second != null) p.endControlFlow();
  }

  /**
   * Opens the loop over a pair's entries in the pairs' column index, from {@code q} (declared and
   * set by {@code start}, or as it is when that is empty) to {@code e}: the entry's row's place in
   * the part's scratch ({@code offset}, rows from {@code h0}) and its two values broadcast
   * ({@code even}, {@code odd}).
   */
  private static void beginPairEntries(MethodSpec.Builder p, String start, String rows, String values, String offset,
      String even, String odd) {
    p.beginControlFlow("for ($L; q < e; q++)", start)
        .addStatement("int $L = so + ($L[q] - h0) * width", offset, rows)
        .addStatement("$T $L = $T.broadcast(SPECIES, $L[2 * q])", FLOAT_VECTOR, even, FLOAT_VECTOR, values)
        .addStatement("$T $L = $T.broadcast(SPECIES, $L[2 * q + 1])", FLOAT_VECTOR, odd, FLOAT_VECTOR, values);
  }

  /**
   * The optimizer's step on one feature's panel row at {@code at}, just stored: where the optimizer
   * lets it, a feature with no non-zero input in the whole batch (a third of MNIST's pixels in a
   * batch of 128) has a zero gradient, and the step there does only what such a step does.
   */
  private static void addFeatureStep(MethodSpec.Builder p, LayerKernel.Dense layer, OptimizerKernels optimizer, boolean decay,
      String feature, String at) {
    if (!optimizer.zeroGradientKeepsWeights()) {
      p.addCode(optimizer.updateCall(layer.kernel(), "w", "dw", at, at + " + width"));
      return;
    }
    p.beginControlFlow("if (featureRows[$L] > 0)", feature)
        .addCode(optimizer.updateCall(layer.kernel(), "w", "dw", at, at + " + width"));
    if (decay) p.nextControlFlow("else").addCode(optimizer.zeroGradientUpdateCall(layer.kernel(), at, at + " + width"));
    p.endControlFlow();
  }

  /**
   * The weight gradient of the columns past the last panel, {@code [k][rest]} after the panels, from
   * {@code col} to {@code end}: a vector of columns, then one at a time; {@code loop} runs over what adds into one input
   * feature's sums, {@code a} and {@code zi} are its input value and its offset in dZ. With an
   * {@code optimizer}, the sums take its step when {@code update} is true.
   */
  private static void addRestGradient(MethodSpec.Builder m, int k, int n, String end, String a, String zi, String loop,
      OptimizerKernels optimizer) {
    m.addComment("the columns past the last panel: a vector, then one at a time")
        .beginControlFlow("for (; col + LANES <= $L; col += LANES)", end)
        .addStatement("int wt = $L + paneled * $L + col - paneled", START, k)
        .beginControlFlow("for (int k = 0; k < $L; k++)", k)
        .addStatement("$T c = $T.zero(SPECIES)", FLOAT_VECTOR, FLOAT_VECTOR)
        .beginControlFlow(loop)
        .addStatement("c = $T.broadcast(SPECIES, $L).fma($T.fromArray(SPECIES, dz, $L), c)", FLOAT_VECTOR, a, FLOAT_VECTOR, zi)
        .endControlFlow();
    if (optimizer != null) {
      m.beginControlFlow("if (update)");
      optimizer.addVectorStep(m, "c", "wt + k * rest");
      m.nextControlFlow("else");
    }
    m.addStatement("c.intoArray(dw, wt + k * rest)");
    if (optimizer != null) m.endControlFlow();
    m.endControlFlow()
        .endControlFlow()
        .beginControlFlow("for (; col < $L; col++)", end)
        .addStatement("int wt = $L + paneled * $L + col - paneled", START, k)
        .beginControlFlow("for (int k = 0; k < $L; k++)", k)
        .addStatement("float s = 0f")
        .beginControlFlow(loop)
        .addStatement("s += $L * dz[$L]", a, zi)
        .endControlFlow();
    if (optimizer != null) {
      m.beginControlFlow("if (update)");
      optimizer.addScalarStep(m, "s", "wt + k * rest");
      m.nextControlFlow("else");
    }
    m.addStatement("dw[wt + k * rest] = s");
    if (optimizer != null) m.endControlFlow();
    m.endControlFlow()
        .endControlFlow();
  }

  /**
   * {@code dX = dZ·Wᵀ} from the panels: blocks of rows x 4 input features at a time, each output a
   * dot product of a dZ row with the feature's weights, which lie in one contiguous run per panel
   * and one in the columns past them; each dZ vector is loaded once for the 4 features and each
   * weight vector once for the block's rows (4 rows, 16 accumulators, with AVX-512's 32 registers;
   * 2 rows with AVX2's 16). The features are taken in blocks whose weights fill about 256 KB, which
   * every block of rows passes over while they stay in the second-level cache: a row at a time
   * read the whole kernel from memory once a row (2048 x 2048, batch 128: 73 ms a call, one thread;
   * in blocks 12.4 ms). Each output adds its products in the same order as before, so the sums are
   * the same. With {@code parts}, part {@code part} of the rows, in whole blocks of 4.
   */
  static MethodSpec inputGradient(LayerKernel.Dense layer, String name, boolean parts) {
    int k = layer.layer().inputs();
    int n = layer.layer().units();
    int blocked = k - k % B;
    MethodSpec.Builder m = kernel(name)
        .addParameter(FLOATS, "dz").addParameter(FLOATS, "w").addParameter(FLOATS, "dx").addParameter(int.class, "rows");
    if (parts) ScalarDenseKernels.addParts(m);
    addLayoutSizes(m, n);
    VectorDenseKernels.addLaneScratch(m);
    m.addStatement("int vectors = $L - $L % LANES", n, n)
        .addStatement(parts ? "int i0 = rows / $L * part / parts * $L, i1 = rows / $L * (part + 1) / parts * $L" : "int i0 = 0, i1 = rows",
            B, B, B, B);
    if (blocked > 0) {
      m.addStatement("int kb = $L", Math.max(B, INPUT_GRADIENT_BLOCK_FLOATS / n / B * B))
          .beginControlFlow("for (int k0 = 0; k0 < $L; k0 += kb)", blocked)
          .addStatement("int k1 = Math.min(k0 + kb, $L)", blocked)
          .beginControlFlow("if (LANES >= 16)");
      addInputGradientBlocks(m, k, n, 4);
      m.nextControlFlow("else");
      addInputGradientBlocks(m, k, n, 2);
      m.endControlFlow().endControlFlow();
    }
    if (blocked < k) {
      m.addComment("the input features left over from blocks of 4, one output at a time")
          .beginControlFlow("for (int i = i0; i < i1; i++)")
          .addStatement("int zi = i * $L", n)
          .beginControlFlow("for (int k = $L; k < $L; k++)", blocked, k)
          .addStatement("float s = 0f")
          .beginControlFlow("for (int j = 0; j < $L; j++)", n)
          .addStatement("int at = $L + (j < paneled ? j / width * $L * width + k * width + j % width : paneled * $L + k * rest + j - paneled)", START, k, k)
          .addStatement("s += dz[zi + j] * w[at]")
          .endControlFlow()
          .addStatement("dx[i * $L + k] = s", k)
          .endControlFlow()
          .endControlFlow();
    }
    return m.build();
  }

  /** Weights of the input gradient's block of input features: 64 Ki floats, 256 KB, a second-level cache's share. */
  private static final int INPUT_GRADIENT_BLOCK_FLOATS = 1 << 16;

  /** The input gradient's loop over the part's rows, {@code rowBlock} at a time, for the features {@code [k0, k1)}. */
  private static void addInputGradientBlocks(MethodSpec.Builder m, int k, int n, int rowBlock) {
    m.beginControlFlow("for (int i = i0; i < i1; i += $L)", rowBlock);
    m.addStatement("int z0 = i * $L, x0 = i * $L", n, k);
    for (int r = 1; r < rowBlock; r++) m.addStatement("int z$L = z$L + $L, x$L = x$L + $L", r, r - 1, n, r, r - 1, k);
    m.beginControlFlow("for (int k = k0; k < k1; k += $L)", B);
    for (int r = 0; r < rowBlock; r++) addZeros(m, "s" + r, B);
    m.beginControlFlow("for (int col = 0; col < paneled; col += width)")
        .addStatement("int wk = $L + col * $L + k * width", START, k)
        .beginControlFlow("for (int j = 0; j < width; j += LANES)");
    addInputGradientProducts(m, rowBlock, q -> "wk + " + (q == 0 ? "" : q + " * width + ") + "j", "col + j");
    m.endControlFlow().endControlFlow()
        .addComment("the columns past the last panel, [k][rest] after the panels: vectors, then one at a time")
        .addStatement("int wt = $L + paneled * $L + k * rest - paneled", START, k)
        .addStatement("int j = paneled")
        .beginControlFlow("for (; j < vectors; j += LANES)");
    addInputGradientProducts(m, rowBlock, q -> "wt + " + (q == 0 ? "" : q + " * rest + ") + "j", "j");
    m.endControlFlow();
    List<String> vectors = new ArrayList<>(), sums = new ArrayList<>();
    for (int r = 0; r < rowBlock; r++) {
      for (int q = 0; q < B; q++) {
        vectors.add("s" + r + q);
        sums.add("t" + r + q);
      }
    }
    VectorDenseKernels.addLaneSums(m, vectors, sums);
    m.beginControlFlow("for (; j < $L; j++)", n);
    for (int q = 0; q < B; q++) m.addStatement("float w$L = w[wt + $Lj]", q, q == 0 ? "" : q + " * rest + ");
    for (int r = 0; r < rowBlock; r++) {
      m.addStatement("float d$L = dz[z$L + j]", r, r);
      for (int q = 0; q < B; q++) m.addStatement("t$L$L += d$L * w$L", r, q, r, q);
    }
    m.endControlFlow();
    for (int r = 0; r < rowBlock; r++) {
      for (int q = 0; q < B; q++) m.addStatement("dx[x$L + k$L] = t$L$L", r, q == 0 ? "" : " + " + q, r, q);
    }
    m.endControlFlow().endControlFlow();
  }

  /**
   * {@code s_rq += dz_r * w_q} for one vector of columns: feature q's weights at {@code weightAt.apply(q)},
   * row r's dZ at {@code z_r + dzAt}.
   */
  private static void addInputGradientProducts(MethodSpec.Builder m, int rowBlock, IntFunction<String> weightAt, String dzAt) {
    for (int q = 0; q < B; q++) m.addStatement("$T w$L = $T.fromArray(SPECIES, w, $L)", FLOAT_VECTOR, q, FLOAT_VECTOR, weightAt.apply(q));
    for (int r = 0; r < rowBlock; r++) {
      m.addStatement("$T d$L = $T.fromArray(SPECIES, dz, z$L + $L)", FLOAT_VECTOR, r, FLOAT_VECTOR, r, dzAt);
      for (int q = 0; q < B; q++) m.addStatement("s$L$L = d$L.fma(w$L, s$L$L)", r, q, r, q, r, q);
    }
  }

  /** The bias vector at {@code offset}, or zeros for a layer without bias. */
  private static CodeBlock biasVector(boolean bias, String offset) {
    return bias
        ? CodeBlock.of("$T.fromArray(SPECIES, b, $L)", FLOAT_VECTOR, offset)
        : CodeBlock.of("$T.zero(SPECIES)", FLOAT_VECTOR);
  }

  private static void addActivation(MethodSpec.Builder m, ActivationCode activation, int n, String from, String to) {
    if (activation.activation() == Activation.LINEAR) return;
    m.beginControlFlow("for (int i = $L; i < $L; i += $L)", from, to, B).addStatement("int h0 = i * $L", n);
    ScalarDenseKernels.addActivationPass(m, activation, n);
    m.endControlFlow();
  }
}
