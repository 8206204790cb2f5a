package dev.nnc.compiler.emit;

import static dev.nnc.compiler.emit.ScalarDenseKernels.FLOATS;
import static dev.nnc.compiler.emit.ScalarDenseKernels.kernel;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import dev.nnc.compiler.plan.LayerKernel;
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
  static final ClassName BYTE_VECTOR = ClassName.get("jdk.incubator.vector", "ByteVector");
  static final ClassName VECTOR_SHAPE = ClassName.get("jdk.incubator.vector", "VectorShape");

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
    kernels.addMethod(MethodSpec.methodBuilder("anyNonZero").addModifiers(Modifier.STATIC)
        .addJavadoc("Whether the $L floats of {@code x} from {@code at} hold one that is not zero.\n", SparseInputIndex.FLOAT_BLOCK)
        .returns(boolean.class)
        .addParameter(FLOATS, "x").addParameter(int.class, "at")
        .addStatement("return $L != 0", SparseInputIndex.floatBlockBits("x", "at"))
        .build());
    kernels.addMethod(MethodSpec.methodBuilder("anyNonZero").addModifiers(Modifier.STATIC)
        .addJavadoc("Whether the $L bytes of {@code x} from {@code at} hold one that is not zero.\n", SparseInputIndex.BYTE_BLOCK)
        .returns(boolean.class)
        .addParameter(byte[].class, "x").addParameter(int.class, "at")
        .addStatement("return $T.fromArray($T.SPECIES_128, x, at).compare($T.NE, (byte) 0).anyTrue()", BYTE_VECTOR,
            BYTE_VECTOR, VECTOR_OPERATORS)
        .build());
    return Optional.of(kernels);
  }

  /**
   * Opens, after a kernel's loop over {@code k} columns in steps of {@code widest} vectors, the block
   * of the loops for the columns that it leaves: {@code if (k % (widest * LANES) != 0)}, a test of
   * constants (LANES is fixed when the class loads) that the optimizing compiler decides as it parses,
   * so that where the widest steps cover every column the narrower loops are not compiled at all.
   */
  static void beginColumnsLeft(MethodSpec.Builder m, int k, int widest) {
    m.beginControlFlow("if ($L % ($L * LANES) != 0)", k, widest);
  }

  /** {@code float[] lanes}: the scratch that {@link #addLaneSums} stores vectors into, once at the top of a kernel. */
  static void addLaneScratch(MethodSpec.Builder m) {
    m.addStatement("float[] lanes = new float[LANES]");
  }

  /**
   * {@code float t = sum of v's lanes} for each pair of names, lane 0 first, in scalar floats. The
   * Vector API's {@code reduceLanes(ADD)} lets the JIT choose the order, so its float sum differed
   * between interpreted and compiled code on JDK 25, and training with it. (A tree of lane swaps
   * was as exact, but made HotSpot's optimizing compiler take twice as long over the kernels.)
   */
  static void addLaneSums(MethodSpec.Builder m, List<String> vectors, List<String> sums) {
    for (int i = 0; i < vectors.size(); i++) {
      m.addStatement("$L.intoArray(lanes, 0)", vectors.get(i))
          .addStatement("float $L = 0f", sums.get(i))
          .beginControlFlow("for (int l = 0; l < LANES; l++)")
          .addStatement("$L += lanes[l]", sums.get(i))
          .endControlFlow();
    }
  }

  /**
   * Narrow layers keep their kernel transposed, so that every product runs along the long side, in
   * vectors; the others keep theirs in contiguous column panels, for good: no step repacks it.
   */
  @Override
  public Optional<KernelLayout> kernelLayout(LayerKernel.Dense layer) {
    if (narrow(layer)) return Optional.of(new KernelLayout.Transposed(layer.layer().inputs(), layer.layer().units()));
    return Optional.of(PanelVectorKernels.layout(layer));
  }

  @Override
  public boolean usesSparseInput(LayerKernel.Dense layer) {
    return layer.sparseInput() && !narrow(layer);
  }

  static boolean narrow(LayerKernel.Dense layer) {
    return layer.layer().units() < NARROW;
  }

  /** For the layer over the sparse input: the scratch panel of dZ its weight gradient reads from. */
  @Override
  public Optional<CodeBlock> addDerivedState(TypeSpec.Builder type, LayerKernel.Dense layer, String stem) {
    if (usesSparseInput(layer)) PanelVectorKernels.addScratch(type, layer, stem);
    if (narrow(layer)) {
      // the narrow forward kernel's lane sums, one scratch for each thread of a split step, so that a step allocates nothing
      for (boolean onWorker : new boolean[] {false, true}) {
        type.addField(FieldSpec.builder(FLOATS, laneScratch(stem, onWorker), Modifier.PRIVATE, Modifier.FINAL)
            .addJavadoc("Where $L's forward kernel sums its accumulators' lanes on the $L thread.\n", stem, onWorker ? "worker's" : "calling")
            .initializer("new float[$L * LANES]", NarrowVectorKernels.SCRATCH_VECTORS)
            .build());
      }
    }
    return Optional.empty();
  }

  @Override
  public String forwardScratchArguments(LayerKernel.Dense layer, String stem, boolean onWorker) {
    return narrow(layer) ? ", " + laneScratch(stem, onWorker) : "";
  }

  /** The field of a narrow layer's lane scratch for one thread. */
  private static String laneScratch(String stem, boolean onWorker) {
    return stem + (onWorker ? "WorkerLanes" : "Lanes");
  }

  @Override
  public boolean forwardSplitsRows() {
    return true;
  }

  /** For a narrow layer over a layer with relu or no activation: see {@link NarrowVectorKernels#columnBackward}. */
  @Override
  public Optional<MethodSpec> columnBackward(LayerKernel.Dense below, LayerKernel.Dense above, String name) {
    dev.nnc.compiler.model.Activation activation = below.layer().activation();
    boolean relu = activation == dev.nnc.compiler.model.Activation.RELU;
    if (!narrow(above) || above.inputGradient() == null || below.activationInLoss()
        || !(relu || activation == dev.nnc.compiler.model.Activation.LINEAR)) {
      return Optional.empty();
    }
    return Optional.of(NarrowVectorKernels.columnBackward(above, relu, below.bias() != null, name));
  }

  @Override
  public Optional<String> readsPairsAlone(LayerKernel.Dense layer) {
    return usesSparseInput(layer) ? Optional.of(PanelVectorKernels.pairsAloneCondition(layer)) : Optional.empty();
  }

  /** The scratch panel of the forward pass's sums, and the pairs' column index, which it reads on AVX-512. */
  @Override
  public List<String> sparseForwardExtraArguments(LayerKernel.Dense layer, String stem) {
    return List.of(PanelVectorKernels.scratchField(stem), KernelLayout.Panels.START, SparseInputIndex.pairForwardArguments());
  }

  @Override
  public String sparseKernelGradientCall(LayerKernel.Dense layer, String stem, String name, List<String> stepArguments) {
    return name + "(" + SparseInputIndex.vectorColumnArguments() + ", " + layer.outputGradient().field() + ", "
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

  @Override
  public List<MethodSpec> forward(LayerKernel.Dense layer, String name, ActivationCode activation) {
    if (narrow(layer)) return List.of(NarrowVectorKernels.forward(layer, name, activation));
    return PanelVectorKernels.forward(layer, name, activation);
  }

  @Override
  public List<MethodSpec> kernelGradient(LayerKernel.Dense layer, String name) {
    if (narrow(layer)) return List.of(NarrowVectorKernels.kernelGradient(layer, name));
    return PanelVectorKernels.kernelGradient(layer, name, backwardSplits(layer));
  }

  @Override
  public boolean backwardSplits(LayerKernel.Dense layer) {
    return !narrow(layer) && !layer.sparseInput();
  }

  /** Sums dZ's rows 4 vectors of columns at a time, the sums in registers; a narrow layer's 10-odd columns in scalars. */
  @Override
  public MethodSpec biasGradient(LayerKernel.Dense layer, String name) {
    int n = layer.layer().units();
    if (narrow(layer)) return new ScalarDenseKernels().biasGradient(layer, name);
    MethodSpec.Builder m = kernel(name).addParameter(FLOATS, "dz").addParameter(FLOATS, "db").addParameter(int.class, "rows")
        .addStatement("int col = 0");
    for (int v : new int[] {4, 1}) {
      if (v == 1) beginColumnsLeft(m, n, 4);
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
        .endControlFlow()
        .build();
  }

  @Override
  public List<MethodSpec> sparseForward(LayerKernel.Dense layer, String name, ActivationCode activation) {
    return PanelVectorKernels.sparseForward(layer, name, activation);
  }

  @Override
  public List<MethodSpec> sparseKernelGradient(LayerKernel.Dense layer, String name, OptimizerKernels optimizer) {
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
    return narrow(layer) ? NarrowVectorKernels.inputGradient(layer, name) : PanelVectorKernels.inputGradient(layer, name, backwardSplits(layer));
  }

  /** {@code ""}, {@code " + LANES"}, {@code " + 2 * LANES"}, ...: the offset of vector {@code v} in a block. */
  static String lanes(int v) {
    return v == 0 ? "" : v == 1 ? " + LANES" : " + " + v + " * LANES";
  }
}
