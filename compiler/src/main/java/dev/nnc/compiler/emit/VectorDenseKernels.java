package dev.nnc.compiler.emit;

import static dev.nnc.compiler.emit.ScalarDenseKernels.B;
import static dev.nnc.compiler.emit.ScalarDenseKernels.FLOATS;
import static dev.nnc.compiler.emit.ScalarDenseKernels.kernel;
import static dev.nnc.compiler.emit.ScalarDenseKernels.offsets;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.nnc.compiler.plan.LayerKernel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.Modifier;

/**
 * The fast kernels: register-blocked Vector API code (jdk.incubator.vector), 4 rows by 2 vectors
 * of accumulators, which keeps 8 independent FMA chains in flight and loads each weight vector
 * once per four rows. Widths that are not a multiple of the block fall through to one-vector and
 * then scalar loops. The vector width is the machine's preferred species, a constant to the JIT.
 * Vectors never cross a method boundary: HotSpot does not inline big vector-typed helpers, and a
 * boxed vector costs 20x.
 */
final class VectorDenseKernels implements DenseKernels {
  static final ClassName FLOAT_VECTOR = ClassName.get("jdk.incubator.vector", "FloatVector");
  static final ClassName VECTOR_SPECIES = ClassName.get("jdk.incubator.vector", "VectorSpecies");
  static final ClassName VECTOR_OPERATORS = ClassName.get("jdk.incubator.vector", "VectorOperators");
  static final ClassName VECTOR_SHAPE = ClassName.get("jdk.incubator.vector", "VectorShape");
  static final ClassName VECTOR_SHUFFLE = ClassName.get("jdk.incubator.vector", "VectorShuffle");
  /**
   * Vectors of columns per block. 4 rows x 2 vectors needs 8 accumulators + 2 weight vectors + 1
   * broadcast = 11 registers: it fits AVX2's 16 as well as AVX-512's 32 (4 x 4 spills on AVX2).
   */
  private static final int V = 2;

  /** Units below which a layer is narrow: fewer than two 16-lane vectors of columns (10 classes, say). */
  static final int NARROW = 32;

  /** The nested class of the kernels, whose code is all that uses the incubator module. */
  static final String KERNEL_CLASS = "VectorKernels";
  private static final String MODULE = "jdk.incubator.vector";

  /**
   * The class itself names no vector type: it reads the lane count from the kernel class only on a
   * JVM that has the module, so that elsewhere it loads and its constructor says what to add.
   */
  @Override
  public void addSupport(TypeSpec.Builder type) {
    type.addField(FieldSpec.builder(boolean.class, "VECTOR_API", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Whether this JVM has the Vector API module that the kernels use.\n")
        .initializer("$T.boot().findModule($S).isPresent()", ModuleLayer.class, MODULE)
        .build());
    type.addField(FieldSpec.builder(int.class, "LANES", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Floats per vector, for the kernels' layouts (1 without the module: the class then makes no instance).\n")
        .initializer("VECTOR_API ? $L.LANES : 1", KERNEL_CLASS)
        .build());
  }

  @Override
  public CodeBlock constructorCheck(String className) {
    return CodeBlock.builder()
        .beginControlFlow("if (!VECTOR_API)")
        .addStatement("throw new $T($S)", UnsupportedOperationException.class, className
            + " uses the Vector API kernels: start the JVM with --add-modules " + MODULE
            + " (or generate the model with the scalar kernels)")
        .endControlFlow()
        .build();
  }

  @Override
  public Optional<TypeSpec.Builder> kernelClass() {
    TypeSpec.Builder kernels = TypeSpec.classBuilder(KERNEL_CLASS).addModifiers(Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The kernels, and all of the class's code that uses the Vector API: loaded only where the\n")
        .addJavadoc("JVM has its module (see {@code VECTOR_API}).\n");
    kernels.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
    kernels.addField(FieldSpec.builder(ParameterizedTypeName.get(VECTOR_SPECIES, ClassName.get(Float.class)), "SPECIES",
            Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The widest float vector this machine runs well (or {@code -Dnnc.vector.bits=128|256|512}, for tests);\n")
        .addJavadoc("a constant once the class is loaded.\n")
        .initializer("species($T.getInteger($S, 0))", Integer.class, "nnc.vector.bits")
        .build());
    kernels.addField(FieldSpec.builder(int.class, "LANES", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .initializer("SPECIES.length()")
        .build());
    kernels.addMethod(MethodSpec.methodBuilder("species").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(ParameterizedTypeName.get(VECTOR_SPECIES, ClassName.get(Float.class)))
        .addParameter(int.class, "bits")
        .addStatement("return bits == 0 ? $T.SPECIES_PREFERRED : $T.of(float.class, $T.forBitSize(bits))",
            FLOAT_VECTOR, VECTOR_SPECIES, VECTOR_SHAPE)
        .build());
    TypeName shuffles = ArrayTypeName.of(ParameterizedTypeName.get(VECTOR_SHUFFLE, ClassName.get(Float.class)));
    kernels.addField(FieldSpec.builder(shuffles, "LANE_SWAPS",
            Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Step {@code s} of a lane sum adds to each lane the lane {@code LANES >> (s + 1)} away: see\n")
        .addJavadoc("{@link #laneSwaps}.\n")
        .initializer("laneSwaps()")
        .build());
    kernels.addMethod(MethodSpec.methodBuilder("laneSwaps").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addJavadoc("The shuffles of a lane sum in a fixed order, halves first. The Vector API's\n")
        .addJavadoc("{@code reduceLanes(ADD)} lets the JIT choose the order, so a float sum would differ between\n")
        .addJavadoc("interpreted and compiled code, and training would depend on when HotSpot compiled it.\n")
        .addAnnotation(AnnotationSpec.builder(SuppressWarnings.class).addMember("value", "$S", "unchecked").build())
        .returns(shuffles)
        .addStatement("$T swaps = ($T) new $T<?>[Integer.numberOfTrailingZeros(LANES)]", shuffles, shuffles, VECTOR_SHUFFLE)
        .beginControlFlow("for (int s = 0; s < swaps.length; s++)")
        .addStatement("int distance = LANES >> (s + 1)")
        .addStatement("swaps[s] = $T.fromOp(SPECIES, lane -> lane ^ distance)", VECTOR_SHUFFLE)
        .endControlFlow()
        .addStatement("return swaps")
        .build());
    kernels.addMethod(MethodSpec.methodBuilder("anyNonZero").addModifiers(Modifier.STATIC)
        .addJavadoc("Whether the vector of {@code x} at {@code at} holds a value that is not zero.\n")
        .returns(boolean.class)
        .addParameter(FLOATS, "x").addParameter(int.class, "at")
        .addStatement("return $T.fromArray(SPECIES, x, at).compare($T.NE, 0f).anyTrue()", FLOAT_VECTOR, VECTOR_OPERATORS)
        .build());
    return Optional.of(kernels);
  }

  /**
   * {@code float t = sum of v's lanes} for each pair of names, in the fixed order of
   * {@code LANE_SWAPS}; the vectors are overwritten.
   */
  static void addLaneSums(MethodSpec.Builder m, List<String> vectors, List<String> sums) {
    m.beginControlFlow("for ($T swap : LANE_SWAPS)", ParameterizedTypeName.get(VECTOR_SHUFFLE, ClassName.get(Float.class)));
    for (String v : vectors) m.addStatement("$L = $L.add($L.rearrange(swap))", v, v, v);
    m.endControlFlow();
    for (int i = 0; i < vectors.size(); i++) m.addStatement("float $L = $L.lane(0)", sums.get(i), vectors.get(i));
  }

  /**
   * Narrow layers keep their kernel transposed, so that every product runs along the long side, in
   * vectors; layers over the sparse input keep theirs in contiguous column panels.
   */
  @Override
  public Optional<KernelLayout> kernelLayout(LayerKernel.Dense layer) {
    if (narrow(layer)) return Optional.of(new KernelLayout.Transposed(layer.layer().inputs(), layer.layer().units()));
    if (usesSparseInput(layer)) return Optional.of(PanelVectorKernels.layout(layer));
    return Optional.empty();
  }

  @Override
  public boolean usesSparseInput(LayerKernel.Dense layer) {
    return layer.sparseInput() && !narrow(layer);
  }

  static boolean narrow(LayerKernel.Dense layer) {
    return layer.layer().units() < NARROW;
  }

  /**
   * For a wide layer in Keras' layout: a copy of the kernel in panels of {@code 2 * LANES} columns,
   * {@code [panel][k][2 * LANES]}, so that the dense forward pass streams each panel's weights
   * contiguously (with the row-major kernel every step of {@code k} jumps a whole row ahead, and the
   * loads stall). Columns past the last whole panel are read from the row-major kernel.
   * For a layer over the sparse input: the scratch panel of dZ its weight gradient reads from.
   */
  @Override
  public Optional<CodeBlock> addDerivedState(TypeSpec.Builder type, LayerKernel.Dense layer, String stem) {
    if (narrow(layer)) return Optional.empty();
    if (usesSparseInput(layer)) {
      PanelVectorKernels.addScratch(type, stem);
      return Optional.empty();
    }
    int k = layer.layer().inputs();
    int n = layer.layer().units();
    String field = panelsField(stem);
    type.addField(FieldSpec.builder(FLOATS, field, Modifier.PRIVATE, Modifier.FINAL)
        .addJavadoc("$L in panels of $L * LANES columns, for the forward pass.\n", layer.kernel().kerasName(), V)
        .initializer("new float[$L * ($L - $L % ($L * LANES))]", k, n, n, V)
        .build());
    String pack = stem + "PackKernel";
    type.addMethod(kernel(pack)
        .addParameter(FLOATS, "w").addParameter(FLOATS, "panels")
        .addStatement("int width = $L * LANES", V)
        .addStatement("int p = 0")
        .beginControlFlow("for (int col = 0; col + width <= $L; col += width)", n)
        .beginControlFlow("for (int k = 0; k < $L; k++, p += width)", k)
        .addStatement("$T.arraycopy(w, k * $L + col, panels, p, width)", System.class, n)
        .endControlFlow()
        .endControlFlow()
        .build());
    return Optional.of(CodeBlock.of("$L($L, $L);\n", pack, layer.kernel().field(), field));
  }

  @Override
  public CodeBlock forwardCall(LayerKernel.Dense layer, String stem, String name) {
    List<String> args = new ArrayList<>(List.of(layer.input().field(), layer.kernel().field()));
    if (!narrow(layer) && !usesSparseInput(layer)) args.add(panelsField(stem));
    if (layer.bias() != null) args.add(layer.bias().field());
    args.add(layer.output().field());
    return CodeBlock.of("$L($L, rows);\n", name, String.join(", ", args));
  }

  @Override
  public String sparseKernelGradientCall(LayerKernel.Dense layer, String stem, String name, List<String> stepArguments) {
    return name + "(" + SparseInputIndex.columnArguments() + ", " + layer.outputGradient().field() + ", "
        + PanelVectorKernels.scratchField(stem) + ", " + layer.kernel().gradientField() + ", "
        + String.join(", ", stepArguments) + ", ";
  }

  @Override
  public boolean fusesOptimizerStep(LayerKernel.Dense layer) {
    return usesSparseInput(layer);
  }

  @Override
  public boolean splits() {
    return true;
  }

  private static String panelsField(String stem) {
    return stem + "KernelPanels";
  }

  @Override
  public MethodSpec forward(LayerKernel.Dense layer, String name, ActivationCode activation) {
    if (narrow(layer)) return NarrowVectorKernels.forward(layer, name, activation);
    return usesSparseInput(layer) ? PanelVectorKernels.forward(layer, name, activation) : wideForward(layer, name, activation);
  }

  private static MethodSpec wideForward(LayerKernel.Dense layer, String name, ActivationCode activation) {
    int k = layer.layer().inputs();
    int n = layer.layer().units();
    boolean bias = layer.bias() != null;
    MethodSpec.Builder m = kernel(name).addParameter(FLOATS, "x").addParameter(FLOATS, "w").addParameter(FLOATS, "panels");
    if (bias) m.addParameter(FLOATS, "b");
    m.addParameter(FLOATS, "h").addParameter(int.class, "rows");
    addWidthBounds(m, n);
    m.addStatement("int col = 0")
        .addComment("a panel of 2 vectors of columns at a time, so that its weights stay in cache for every row;")
        .addComment("4 rows x 2 vectors: 8 accumulators, each weight vector loaded once per 4 rows")
        .beginControlFlow("for (; col < blocks; col += $L * LANES)", V);
    for (int v = 0; v < V; v++) {
      String init = bias ? String.format("$T.fromArray(SPECIES, b, col%s)", lanes(v)) : "$T.zero(SPECIES)";
      m.addStatement("$T bias$L = " + init, FLOAT_VECTOR, v, FLOAT_VECTOR);
    }
    m.beginControlFlow("for (int i = 0; i < rows; i += $L)", B)
        .addStatement(offsets("x", "i * " + k, k))
        .addStatement(offsets("h", "i * " + n + " + col", n));
    for (int r = 0; r < B; r++) m.addStatement("$T $L", FLOAT_VECTOR, accumulators(r, v -> "bias" + v));
    m.addStatement("int panel = col * $L", k)
        .beginControlFlow("for (int k = 0; k < $L; k++)", k)
        .addStatement("int wk = panel + k * ($L * LANES)", V);
    for (int v = 0; v < V; v++) m.addStatement("$T w$L = $T.fromArray(SPECIES, panels, wk$L)", FLOAT_VECTOR, v, FLOAT_VECTOR, lanes(v));
    for (int r = 0; r < B; r++) {
      m.addStatement("$T a$L = $T.broadcast(SPECIES, x[x$L + k])", FLOAT_VECTOR, r, FLOAT_VECTOR, r);
      for (int v = 0; v < V; v++) m.addStatement("c$L$L = a$L.fma(w$L, c$L$L)", r, v, r, v, r, v);
    }
    m.endControlFlow();
    for (int r = 0; r < B; r++) {
      for (int v = 0; v < V; v++) m.addStatement("c$L$L.intoArray(h, h$L$L)", r, v, r, lanes(v));
    }
    m.endControlFlow().endControlFlow()
        .addComment("what is left, a vector at a time")
        .beginControlFlow("for (; col < vectors; col += LANES)")
        .addStatement(bias ? "$T bias0 = $T.fromArray(SPECIES, b, col)" : "$T bias0 = $T.zero(SPECIES)", FLOAT_VECTOR, FLOAT_VECTOR)
        .beginControlFlow("for (int i = 0; i < rows; i += $L)", B)
        .addStatement(offsets("x", "i * " + k, k))
        .addStatement("$T c0 = bias0, c1 = bias0, c2 = bias0, c3 = bias0", FLOAT_VECTOR)
        .beginControlFlow("for (int k = 0; k < $L; k++)", k)
        .addStatement("$T w0 = $T.fromArray(SPECIES, w, k * $L + col)", FLOAT_VECTOR, FLOAT_VECTOR, n);
    for (int r = 0; r < B; r++) m.addStatement("c$L = $T.broadcast(SPECIES, x[x$L + k]).fma(w0, c$L)", r, FLOAT_VECTOR, r, r);
    m.endControlFlow();
    for (int r = 0; r < B; r++) m.addStatement("c$L.intoArray(h, (i + $L) * $L + col)", r, r, n);
    m.endControlFlow().endControlFlow()
        .addComment("and the last columns one at a time")
        .beginControlFlow("for (; col < $L; col++)", n)
        .beginControlFlow("for (int i = 0; i < rows; i += $L)", B)
        .addStatement(offsets("x", "i * " + k, k))
        .addStatement(bias ? "float s0 = b[col], s1 = s0, s2 = s0, s3 = s0" : "float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f")
        .beginControlFlow("for (int k = 0; k < $L; k++)", k)
        .addStatement("float wkj = w[k * $L + col]", n);
    for (int r = 0; r < B; r++) m.addStatement("s$L += x[x$L + k] * wkj", r, r);
    m.endControlFlow();
    for (int r = 0; r < B; r++) m.addStatement("h[(i + $L) * $L + col] = s$L", r, n, r);
    m.endControlFlow().endControlFlow();
    if (activation.activation() != dev.nnc.compiler.model.Activation.LINEAR) {
      m.beginControlFlow("for (int i = 0; i < rows; i += $L)", B)
          .addStatement("int h0 = i * $L", n);
      ScalarDenseKernels.addActivationPass(m, activation, n);
      m.endControlFlow();
    }
    return m.build();
  }

  @Override
  public MethodSpec kernelGradient(LayerKernel.Dense layer, String name) {
    if (narrow(layer)) return NarrowVectorKernels.kernelGradient(layer, name);
    return usesSparseInput(layer) ? PanelVectorKernels.kernelGradient(layer, name) : wideKernelGradient(layer, name);
  }

  private static MethodSpec wideKernelGradient(LayerKernel.Dense layer, String name) {
    int k = layer.layer().inputs();
    int n = layer.layer().units();
    int blocked = k - k % B;
    MethodSpec.Builder m = kernel(name)
        .addParameter(FLOATS, "x").addParameter(FLOATS, "dz").addParameter(FLOATS, "dw").addParameter(int.class, "rows");
    if (blocked > 0) {
      addWidthBounds(m, n);
      m.addStatement("int col = 0")
          .addComment("a panel of 2 vectors of dZ's columns at a time, so that it stays in cache for every feature;")
          .addComment("4 rows of dW (4 input features) x 2 vectors, summed over the batch in registers")
          .beginControlFlow("for (; col < blocks; col += $L * LANES)", V)
          .beginControlFlow("for (int k = 0; k < $L; k += $L)", blocked, B)
          .addStatement(offsets("w", "k * " + n + " + col", n));
      for (int r = 0; r < B; r++) {
        final int row = r;
        m.addStatement("$T $L", FLOAT_VECTOR, accumulators(r, v -> v == 0 ? "FloatVector.zero(SPECIES)" : "c" + row + "0"));
      }
      m.beginControlFlow("for (int i = 0; i < rows; i++)")
          .addStatement("int zi = i * $L + col", n)
          .addStatement("int xi = i * $L + k", k);
      for (int v = 0; v < V; v++) m.addStatement("$T d$L = $T.fromArray(SPECIES, dz, zi$L)", FLOAT_VECTOR, v, FLOAT_VECTOR, lanes(v));
      for (int r = 0; r < B; r++) {
        m.addStatement("$T a$L = $T.broadcast(SPECIES, x[xi$L])", FLOAT_VECTOR, r, FLOAT_VECTOR, r == 0 ? "" : " + " + r);
        for (int v = 0; v < V; v++) m.addStatement("c$L$L = a$L.fma(d$L, c$L$L)", r, v, r, v, r, v);
      }
      m.endControlFlow();
      for (int r = 0; r < B; r++) {
        for (int v = 0; v < V; v++) m.addStatement("c$L$L.intoArray(dw, w$L$L)", r, v, r, lanes(v));
      }
      m.endControlFlow().endControlFlow()
          .addComment("what is left, a vector at a time")
          .beginControlFlow("for (; col < vectors; col += LANES)")
          .beginControlFlow("for (int k = 0; k < $L; k += $L)", blocked, B)
          .addStatement("$T c0 = $T.zero(SPECIES), c1 = c0, c2 = c0, c3 = c0", FLOAT_VECTOR, FLOAT_VECTOR)
          .beginControlFlow("for (int i = 0; i < rows; i++)")
          .addStatement("$T d0 = $T.fromArray(SPECIES, dz, i * $L + col)", FLOAT_VECTOR, FLOAT_VECTOR, n)
          .addStatement("int xi = i * $L + k", k);
      for (int r = 0; r < B; r++) {
        m.addStatement("c$L = $T.broadcast(SPECIES, x[xi$L]).fma(d0, c$L)", r, FLOAT_VECTOR, r == 0 ? "" : " + " + r, r);
      }
      m.endControlFlow();
      for (int r = 0; r < B; r++) m.addStatement("c$L.intoArray(dw, (k + $L) * $L + col)", r, r, n);
      m.endControlFlow().endControlFlow()
          .addComment("and the last columns one at a time")
          .beginControlFlow("for (; col < $L; col++)", n)
          .beginControlFlow("for (int k = 0; k < $L; k += $L)", blocked, B)
          .addStatement("float s0 = 0f, s1 = 0f, s2 = 0f, s3 = 0f")
          .beginControlFlow("for (int i = 0; i < rows; i++)")
          .addStatement("float d = dz[i * $L + col]", n)
          .addStatement("int xi = i * $L + k", k);
      for (int r = 0; r < B; r++) m.addStatement("s$L += x[xi$L] * d", r, r == 0 ? "" : " + " + r);
      m.endControlFlow();
      for (int r = 0; r < B; r++) m.addStatement("dw[(k + $L) * $L + col] = s$L", r, n, r);
      m.endControlFlow().endControlFlow();
    }
    ScalarDenseKernels.addKernelGradientTail(m, blocked, k, n);
    return m.build();
  }

  /** Sums dZ's rows 4 vectors of columns at a time, the sums in registers; a narrow layer's 10-odd columns in scalars. */
  @Override
  public MethodSpec biasGradient(LayerKernel.Dense layer, String name) {
    int n = layer.layer().units();
    if (narrow(layer)) return new ScalarDenseKernels().biasGradient(layer, name);
    MethodSpec.Builder m = kernel(name).addParameter(FLOATS, "dz").addParameter(FLOATS, "db").addParameter(int.class, "rows")
        .addStatement("int col = 0");
    for (int v : new int[] {4, 1}) {
      m.beginControlFlow("for (; col + $L * LANES <= $L; col += $L * LANES)", v, n, v);
      for (int u = 0; u < v; u++) m.addStatement("$T c$L = $T.zero(SPECIES)", FLOAT_VECTOR, u, FLOAT_VECTOR);
      m.beginControlFlow("for (int i = 0; i < rows; i++)").addStatement("int zi = i * $L + col", n);
      for (int u = 0; u < v; u++) m.addStatement("c$L = c$L.add($T.fromArray(SPECIES, dz, zi$L))", u, u, FLOAT_VECTOR, lanes(u));
      m.endControlFlow();
      for (int u = 0; u < v; u++) m.addStatement("c$L.intoArray(db, col$L)", u, lanes(u));
      m.endControlFlow();
    }
    return m.beginControlFlow("for (; col < $L; col++)", n)
        .addStatement("float s = 0f")
        .beginControlFlow("for (int i = 0; i < rows; i++)")
        .addStatement("s += dz[i * $L + col]", n)
        .endControlFlow()
        .addStatement("db[col] = s")
        .endControlFlow()
        .build();
  }

  @Override
  public MethodSpec sparseForward(LayerKernel.Dense layer, String name, ActivationCode activation) {
    return PanelVectorKernels.sparseForward(layer, name, activation);
  }

  @Override
  public MethodSpec sparseKernelGradient(LayerKernel.Dense layer, String name, OptimizerKernels optimizer) {
    return PanelVectorKernels.sparseKernelGradient(layer, name, optimizer);
  }

  /** relu's mask in vectors; the other activations' derivatives as plain loops. */
  @Override
  public MethodSpec activationBackward(String name, ActivationCode activation, int width) {
    if (activation.activation() != dev.nnc.compiler.model.Activation.RELU) {
      return ElementwiseKernels.activationBackward(name, activation, width);
    }
    return kernel(name)
        .addParameter(FLOATS, "h").addParameter(FLOATS, "g").addParameter(FLOATS, "dx").addParameter(int.class, "rows")
        .addStatement("int size = rows * $L", width)
        .addStatement("int i = 0")
        .beginControlFlow("for (; i < SPECIES.loopBound(size); i += LANES)")
        .addStatement("$T gi = $T.fromArray(SPECIES, g, i)", FLOAT_VECTOR, FLOAT_VECTOR)
        .addStatement("$T.zero(SPECIES).blend(gi, $T.fromArray(SPECIES, h, i).compare($T.GT, 0f)).intoArray(dx, i)",
            FLOAT_VECTOR, FLOAT_VECTOR, VECTOR_OPERATORS)
        .endControlFlow()
        .beginControlFlow("for (; i < size; i++)")
        .addStatement("dx[i] = $L", activation.backward("g[i]", "h[i]"))
        .endControlFlow()
        .build();
  }

  @Override
  public MethodSpec inputGradient(LayerKernel.Dense layer, String name) {
    return narrow(layer) ? NarrowVectorKernels.inputGradient(layer, name) : wideInputGradient(layer, name);
  }

  private static MethodSpec wideInputGradient(LayerKernel.Dense layer, String name) {
    int k = layer.layer().inputs();
    int n = layer.layer().units();
    int blocked = k - k % B;
    MethodSpec.Builder m = kernel(name)
        .addParameter(FLOATS, "dz").addParameter(FLOATS, "w").addParameter(FLOATS, "dx").addParameter(int.class, "rows");
    addWidthBounds(m, n);
    m.beginControlFlow("for (int i = 0; i < rows; i++)")
        .addStatement("int zi = i * $L", n)
        .addStatement("int xi = i * $L", k);
    if (blocked > 0) {
      m.addComment("four dot products over the outputs at a time share each vector of the dZ row")
          .beginControlFlow("for (int k = 0; k < $L; k += $L)", blocked, B)
          .addStatement(offsets("w", "k * " + n, n))
          .addStatement("$T s0 = $T.zero(SPECIES), s1 = s0, s2 = s0, s3 = s0", FLOAT_VECTOR, FLOAT_VECTOR)
          .addStatement("int j = 0")
          .beginControlFlow("for (; j < vectors; j += LANES)")
          .addStatement("$T d = $T.fromArray(SPECIES, dz, zi + j)", FLOAT_VECTOR, FLOAT_VECTOR);
      for (int r = 0; r < B; r++) m.addStatement("s$L = d.fma($T.fromArray(SPECIES, w, w$L + j), s$L)", r, FLOAT_VECTOR, r, r);
      m.endControlFlow();
      List<String> vectors = new ArrayList<>(), sums = new ArrayList<>();
      for (int r = 0; r < B; r++) {
        vectors.add("s" + r);
        sums.add("t" + r);
      }
      addLaneSums(m, vectors, sums);
      m.beginControlFlow("for (; j < $L; j++)", n)
          .addStatement("float d = dz[zi + j]");
      for (int r = 0; r < B; r++) m.addStatement("t$L += d * w[w$L + j]", r, r);
      m.endControlFlow();
      for (int r = 0; r < B; r++) m.addStatement("dx[xi + k$L] = t$L", r == 0 ? "" : " + " + r, r);
      m.endControlFlow();
    }
    ScalarDenseKernels.addInputGradientTail(m, blocked, k, n);
    return m.endControlFlow().build();
  }

  /** {@code c00 = .., c01 = ..}: row {@code r}'s accumulators, one a vector of the block. */
  static String accumulators(int r, java.util.function.IntFunction<String> init) {
    StringBuilder s = new StringBuilder();
    for (int v = 0; v < V; v++) {
      if (v > 0) s.append(", ");
      s.append('c').append(r).append(v).append(" = ").append(init.apply(v));
    }
    return s.toString();
  }

  /** {@code blocks}: columns covered by whole 4-vector blocks; {@code vectors}: by whole vectors. */
  static void addWidthBounds(MethodSpec.Builder m, int n) {
    m.addStatement("int blocks = $L - $L % ($L * LANES)", n, n, V)
        .addStatement("int vectors = $L - $L % LANES", n, n);
  }

  /** {@code ""}, {@code " + LANES"}, {@code " + 2 * LANES"}, ...: the offset of vector {@code v} in a block. */
  static String lanes(int v) {
    return v == 0 ? "" : v == 1 ? " + LANES" : " + " + v + " * LANES";
  }
}
