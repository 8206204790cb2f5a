package dev.nnc.compiler.emit;

import static dev.nnc.compiler.emit.VectorDenseKernels.FLOAT_VECTOR;
import static dev.nnc.compiler.emit.VectorDenseKernels.VECTOR_OPERATORS;
import static dev.nnc.compiler.emit.VectorDenseKernels.VECTOR_SPECIES;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.nnc.compiler.GeneratedPredictor;
import dev.nnc.compiler.GeneratedSource;
import dev.nnc.compiler.Kernels;
import dev.nnc.compiler.model.Activation;
import dev.nnc.compiler.model.CheckedModel;
import dev.nnc.compiler.model.LossSpec;
import dev.nnc.compiler.model.Shapes;
import dev.nnc.compiler.plan.KernelPlan;
import dev.nnc.compiler.plan.LayerKernel;
import dev.nnc.compiler.plan.Param;
import dev.nnc.compiler.plan.Planner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.Modifier;

/**
 * Writes a {@link KernelPlan} and trained weights as a standalone {@code <Name>Predictor}: the
 * forward pass of one sample at a time (and, for the batch form on the Vector API, of up to
 * {@link #BATCH_ROWS} at once), dropout removed, the weights in a resource beside the class
 * (checked against the SHA-256 the class holds), nothing but {@code java.base} needed.
 *
 * <p>Each dense layer is one kernel method written for its shapes, in two versions: plain Java in
 * the class, and Vector API code in a nested class that only a JVM with {@code jdk.incubator.vector}
 * ever loads (the choice is a {@code static final} made when the class loads, so the JIT removes the
 * other branch). A wide layer runs over the non-zero values of its input only (81% of an MNIST
 * image's pixels are zero, about half of a relu layer's outputs), each adding its row of a column
 * panel of the kernel into vector accumulators held in registers, bias and relu applied at the
 * store. The panels ({@link KernelLayout.Panels}, as in the training class) are made from the
 * resource's Keras layout when the class is constructed: each is one contiguous block, its rows
 * one after the other, which the caches and their prefetchers serve better than the slices of a
 * row-major kernel's rows, a power of two apart. A narrow layer (fewer than {@link VectorDenseKernels#NARROW} units,
 * such as 10 classes) keeps its kernel transposed and takes dot products along its inputs.
 */
public final class PredictorEmitter {
  /** The generated class's constant for where the wide kernels start in their arrays. */
  private static final String PANEL_START = KernelLayout.Panels.START;
  /** The generated class's constant for the wide kernels' panel width, in columns. */
  private static final String PANEL_WIDTH = "PANEL_WIDTH";
  /** The panel width of the plain Java kernels: long enough rows for the JIT's own vectorizing. */
  private static final int SCALAR_PANEL_WIDTH = 128;

  private static final TypeName FLOATS = TypeName.get(float[].class);
  private static final TypeName INTS = TypeName.get(int[].class);
  /**
   * Vectors of columns in a panel of a wide kernel, as in the training class
   * ({@link PanelVectorKernels#V}), whose blocked sparse kernel the batch form runs: 8 accumulators
   * + 1 broadcast fit AVX2's 16 registers. With 16-lane vectors (AVX-512, 32 registers) one sample
   * takes two panels a pass, 16 accumulators, which the MNIST input layer ran about 12% faster
   * (half the passes over the index).
   */
  private static final int PANEL = PanelVectorKernels.V;
  /**
   * Samples the batch form takes at once through the wide layers (the training class's batch, as
   * far as its blocked sparse kernel is concerned): each panel row that one sample's non-zero input
   * brings into cache then serves the other samples with that input non-zero too.
   */
  static final int BATCH_ROWS = 128;
  /**
   * Most outputs of a narrow layer computed together, sharing each load of the input: 12
   * accumulators, the vector of inputs and one of weights fit AVX2's 16 registers, and 10 or more
   * independent chains of multiply-adds keep both of a core's FMA units busy (with 4 at a time, the
   * MNIST output layer waited on each chain's latency).
   */
  private static final int DOTS = 12;
  private static final String VECTOR_CLASS = "VectorKernels";

  private final KernelPlan plan;
  private final CheckedModel model;
  private final String className;
  private final String source;
  private final boolean vector;
  private final List<MethodSpec> scalarKernels = new ArrayList<>();
  private final List<MethodSpec> vectorKernels = new ArrayList<>();
  /** Floats of the workspace holding every layer's output but the last. */
  private int workFloats;
  /** The widest input of a layer that runs over the non-zero inputs: the index's size. */
  private int indexSize;
  /** The batch form's arrays of layer outputs, by field name: their widths. */
  private final Map<String, Integer> rowsFields = new LinkedHashMap<>();
  /** Whether the batch form runs a narrow layer through the training class's kernel, which sums lanes in {@code blockLanes}. */
  private boolean narrowRows;

  private PredictorEmitter(KernelPlan plan, boolean vector) {
    this.plan = plan;
    this.model = plan.model();
    this.className = model.name() + "Predictor";
    this.source = SourceText.comment(model.sourceFileName());
    this.vector = vector;
  }

  /**
   * The predictor for {@code plan} in {@code packageName} with {@code weights} (every parameter of
   * the plan by Keras name, in Keras layout); with {@link Kernels#VECTOR} it also carries the Vector
   * API kernels, used where the JVM has the module.
   *
   * @throws IllegalArgumentException if a parameter is missing or has the wrong number of floats
   */
  public static GeneratedPredictor emit(KernelPlan plan, String packageName, Kernels kernels, Map<String, float[]> weights) {
    byte[] resource = resource(plan, weights);
    PredictorEmitter emitter = new PredictorEmitter(plan, kernels == Kernels.VECTOR);
    GeneratedSource java = emitter.emit(packageName, sha256(resource), resource.length / Float.BYTES);
    return new GeneratedPredictor(java, emitter.className + ".weights", resource);
  }

  /** Every parameter in the plan's order, Keras layout, little-endian float32: the resource's bytes. */
  private static byte[] resource(KernelPlan plan, Map<String, float[]> weights) {
    long floats = plan.params().stream().mapToLong(Param::size).sum();
    ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(floats * Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
    for (Param p : plan.params()) {
      float[] values = weights.get(p.kerasName());
      if (values == null || values.length != p.size()) {
        throw new IllegalArgumentException("weights for " + p.kerasName() + ": need " + p.size() + " floats, got "
            + (values == null ? "none" : String.valueOf(values.length)));
      }
      bytes.asFloatBuffer().put(values);
      bytes.position(bytes.position() + values.length * Float.BYTES);
    }
    return bytes.array();
  }

  static String sha256(byte[] bytes) {
    try {
      StringBuilder hex = new StringBuilder();
      for (byte b : MessageDigest.getInstance("SHA-256").digest(bytes)) hex.append(String.format(Locale.ROOT, "%02x", b));
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  private GeneratedSource emit(String packageName, String sha256, int weightFloats) {
    MethodSpec forward = forward(); // first: it sizes the workspace that the javadoc describes
    Optional<MethodSpec> forwardRows = vector && indexSize > 0 ? Optional.of(forwardRows()) : Optional.empty();
    TypeSpec.Builder type = TypeSpec.classBuilder(className)
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addJavadoc(classJavadoc(packageName));
    addConstants(type, sha256, weightFloats);
    addWeightFields(type);
    type.addField(FieldSpec.builder(ParameterizedTypeName.get(ClassName.get(ThreadLocal.class), workspaceType()),
            "workspaces", Modifier.PRIVATE, Modifier.FINAL)
        .addJavadoc("Each thread's scratch space, so that threads share the weights and nothing else.\n")
        .initializer("$T.withInitial(Workspace::new)", ThreadLocal.class)
        .build());
    forwardRows.ifPresent(rows -> type
        .addField(FieldSpec.builder(int.class, "BATCH_ROWS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("Samples the batch form takes at once through the wide layers' blocked kernels.\n")
            .initializer("$L", BATCH_ROWS).build())
        .addField(FieldSpec.builder(ParameterizedTypeName.get(ClassName.get(ThreadLocal.class), rowsType()),
                "rowWorkspaces", Modifier.PRIVATE, Modifier.FINAL)
            .addJavadoc("Each thread's scratch space for the batch form, made on its first batch.\n")
            .initializer(sumsSlab() ? CodeBlock.of("$T.withInitial(this::newRows)", ThreadLocal.class)
                : CodeBlock.of("$T.withInitial(() -> new Rows(new float[$L + BATCH_ROWS * $L.PANEL_WIDTH], $L))",
                    ThreadLocal.class, PANEL_START, VECTOR_CLASS, PANEL_START))
            .build()));
    if (forwardRows.isPresent() && sumsSlab()) addSumsSlab(type);
    type.addMethod(constructor());
    addApi(type, forwardRows.isPresent());
    type.addMethod(forward);
    forwardRows.ifPresent(type::addMethod);
    type.addMethods(scalarKernels);
    addLoading(type);
    if (vector) type.addMethod(MethodSpec.methodBuilder("vectorModulePresent").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .returns(boolean.class)
        .addJavadoc("Whether the JVM runs with {@code jdk.incubator.vector} (Java 16+, {@code --add-modules jdk.incubator.vector}).\n")
        .beginControlFlow("try")
        .addStatement("return $T.boot().findModule($S).isPresent()", ModuleLayer.class, Kernels.VECTOR_MODULE)
        .nextControlFlow("catch ($T e)", LinkageError.class)
        .addComment("a runtime without the module system (Android): plain Java")
        .addStatement("return false")
        .endControlFlow()
        .build());
    type.addType(workspace());
    if (forwardRows.isPresent()) type.addType(rowsWorkspace());
    if (vector) type.addType(vectorClass());
    JavaFile file = JavaFile.builder(packageName, type.build())
        .addFileComment("generated from $L by nnc - do not edit", source)
        .skipJavaLangImports(true)
        .indent("  ")
        .build();
    return new GeneratedSource(packageName, className, file.toString());
  }

  // ---------------------------------------------------------------- description

  private CodeBlock classJavadoc(String packageName) {
    String resourcePath = (packageName.isEmpty() ? "" : packageName.replace('.', '/') + "/") + className + ".weights";
    boolean classifier = model.loss().kind() != LossSpec.Kind.MEAN_SQUARED_ERROR;
    return CodeBlock.builder()
        .add("The trained {@code $L} model of {@code $L}, ready to predict:\n", model.name(), source)
        .add("{@code $L}, $L parameters.\n", ModelEmitter.signature(model), String.format(Locale.ROOT, "%,d", model.parameterCount()))
        .add("\n<h2>Use</h2>\n")
        .add("<pre>{@code\n")
        .add("$L predictor = new $L();   // reads and checks the weights: once, then share it\n", className, className)
        .add("float[] x = new float[$L.INPUT_SIZE];   // one sample, flattened, as in training\n", className)
        .add("float[] p = predictor.predict(x);   // $L.OUTPUT_SIZE $L\n", className, classifier ? "probabilities" : "outputs")
        .add(classifier ? "int label = predictor.predictClass(x);\n" : "")
        .add("\n")
        .add("// many samples, row after row, into an array of your own: allocates nothing\n")
        .add("float[] outputs = new float[count * $L.OUTPUT_SIZE];\n", className)
        .add("predictor.predict(inputs, count, outputs);\n")
        .add("}</pre>\n")
        .add("\n<p>Give each sample's values as training read them: nnc's data loaders divide {@code uint8}\n")
        .add("features (IDX images, {@code uint8} {@code .npy}) by 255 into [0, 1] unless trained with\n")
        .add("{@code --no-scale}, so an image's byte {@code b} goes in as {@code (b & 0xFF) / 255f}.\n")
        .add("\n<p>The outputs are those of the trained model's {@code predict} (up to float rounding):\n")
        .add("$L. Dropout is not applied: prediction is inference.\n", outputMeaning())
        .add("\n<h2>Threads</h2>\n")
        .add("\n<p>Thread-safe: one instance serves any number of threads at once. The weights are read-only\n")
        .add("and each thread gets its own scratch space on its first call (about $L bytes)$L; after that,\n",
            (workFloats + 2L * indexSize + model.outputSize()) * 4,
            rowsFields.isEmpty() ? "" : String.format(Locale.ROOT, ",\nand another on its first batch (about %d bytes%s)", rowsBytes(),
                sumsSlab() ? String.format(Locale.ROOT, ";\nthe first batch also makes %d bytes, where up to %d threads at a time keep part of theirs",
                    KernelLayout.Panels.REGION_STARTED_FLOATS * 4L, (KernelLayout.Panels.REGION_STARTED_FLOATS - KernelLayout.Panels.START_FLOATS) / (BATCH_ROWS * PANEL * 16)) : ""))
        .add("no call but {@link #predict(float[])} allocates anything.\n")
        .add("\n<h2>Speed</h2>\n")
        .add("\n<p>$L\n", vector
            ? "With {@code --add-modules jdk.incubator.vector} the dense layers run as Vector API kernels\n"
                + "(the JVM prints a warning that the module is incubating); without it, in plain Java. This is\n"
                + "decided once, when the class loads ({@link #usesVectorKernels()}); a JVM without the module\n"
                + "never loads the vector code, so this class runs on any Java 17+, and on runtimes without the\n"
                + "module system. The batch form takes up to " + BATCH_ROWS + " samples at a time through each wide\n"
                + "layer, so that each weight it brings into cache serves all of them.\n"
                + "\n<p>The vector kernels run fastest when their weight rows lie on cache lines (single images took\n"
                + "about 0.75 of the time, measured on AVX-512).\n"
                + (plan.params().stream().anyMatch(this::isRegionStarted)
                    ? "The class makes that so for its large kernels under HotSpot's default collector\n"
                        + "with heaps below 8 GiB (see {@code REGION_STARTED_FLOATS}); elsewhere,\n"
                    : "On HotSpot, ")
                + "{@code -XX:ObjectAlignmentInBytes=64} does it."
            : "The dense layers run in plain Java: the class needs no module and no option.")
        .add("\n<p>Wide layers run over the non-zero values of their input only (most pixels of an image are\n")
        .add("zero, and about half of a relu layer's outputs).\n")
        .add("\n<h2>Weights</h2>\n")
        .add("\n<p>The constructor reads the resource {@code $L} beside this class (on the class path or\n", resourcePath)
        .add("in the same module) and checks its SHA-256 against {@link #WEIGHTS_SHA256}; a missing or different\n")
        .add("file is an {@link IllegalStateException} that says so. It holds every parameter in order, Keras\n")
        .add("layout ({@code dense_1/kernel} {@code [in, out]}, then {@code dense_1/bias}, ...), as little-endian\n")
        .add("float32. Nothing else is read: no system property, no environment variable, no reflection (for\n")
        .add("GraalVM native-image, include the resource: {@code -H:IncludeResources=$L}).\n", resourcePath.replace(".", "\\."))
        .build();
  }

  private String outputMeaning() {
    LossSpec.Kind kind = model.loss().kind();
    if (kind == LossSpec.Kind.MEAN_SQUARED_ERROR) return "the model's output values";
    if (kind == LossSpec.Kind.BINARY_CROSSENTROPY) return "for each output, the probability of class 1";
    return "the probability of each of the " + model.outputSize() + " classes";
  }

  private void addConstants(TypeSpec.Builder type, String sha256, int weightFloats) {
    type.addField(FieldSpec.builder(int.class, "INPUT_SIZE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Floats per sample: the model's input $L, flattened row-major.\n", model.inputShape())
        .initializer("$L", model.inputSize()).build());
    type.addField(FieldSpec.builder(int.class, "OUTPUT_SIZE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Outputs per sample.\n")
        .initializer("$L", model.outputSize()).build());
    type.addField(FieldSpec.builder(String.class, "WEIGHTS_RESOURCE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The weights resource's name, beside this class.\n")
        .initializer("$S", className + ".weights").build());
    type.addField(FieldSpec.builder(String.class, "WEIGHTS_SHA256", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The SHA-256 of the weights this class was compiled with, in hexadecimal.\n")
        .initializer("$S", sha256).build());
    type.addField(FieldSpec.builder(int.class, "WEIGHT_FLOATS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .initializer("$L", weightFloats).build());
    type.addField(FieldSpec.builder(boolean.class, "VECTOR", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Whether the Vector API kernels run; fixed when the class loads, so the JIT keeps one branch.\n")
        .initializer(vector ? "vectorModulePresent()" : "false").build());
  }

  private void addWeightFields(TypeSpec.Builder type) {
    if (plan.params().stream().anyMatch(this::isRegionStarted)) type.addField(KernelLayout.Panels.regionStartedField());
    if (plan.params().stream().anyMatch(this::isWideKernel)) {
      type.addField(FieldSpec.builder(int.class, PANEL_START, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc("Where the wide layers' kernels start in their arrays: 48 bytes in, so that in an array whose data\n"
              + "start 16 bytes past a 64-byte boundary (a large kernel's, see {@code REGION_STARTED_FLOATS}, or any in a\n"
              + "JVM run with {@code -XX:ObjectAlignmentInBytes=64}) their rows lie on cache lines and no vector load\n"
              + "straddles two.\n")
          .initializer("$L", KernelLayout.Panels.START_FLOATS).build());
      type.addField(FieldSpec.builder(int.class, PANEL_WIDTH, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc("Columns in a panel of the wide layers' kernels: as many as the kernels keep in registers.\n")
          .initializer(vector ? CodeBlock.of("VECTOR ? $L.PANEL_WIDTH : $L", VECTOR_CLASS, SCALAR_PANEL_WIDTH)
              : CodeBlock.of("$L", SCALAR_PANEL_WIDTH)).build());
    }
    for (Param p : plan.params()) {
      String layout = isNarrowKernel(p) ? " transposed: [" + p.shape().get(1) + "][" + p.shape().get(0) + "]"
          : isWideKernel(p) ? " in column panels of " + PANEL_WIDTH + " from " + PANEL_START + " on" : "";
      type.addField(FieldSpec.builder(FLOATS, p.field(), Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("$L $L$L.\n", p.kerasName(), p.shape(), layout).build());
    }
  }

  /** Whether {@code p}'s array is made {@link KernelLayout.Panels#REGION_STARTED_FLOATS} long at least. */
  private boolean isRegionStarted(Param p) {
    return isWideKernel(p) && KernelLayout.Panels.regionStarted(p.size());
  }

  /** A kernel the sparse row kernels read, in column panels from {@link #PANEL_START} on. */
  private boolean isWideKernel(Param p) {
    return isKernel(p, false);
  }

  private boolean isNarrowKernel(Param p) {
    return isKernel(p, true);
  }

  /** Whether {@code p} is the kernel of a dense layer that is narrow, or not, as {@code narrow} says. */
  private boolean isKernel(Param p, boolean narrow) {
    return plan.layers().stream().anyMatch(l -> l instanceof LayerKernel.Dense d && d.kernel() == p && narrow(d) == narrow);
  }

  /** The layout the class keeps {@code p} in (Keras' {@code [inputs][units]} for a kernel), or none: Keras'. */
  private Optional<KernelLayout> layout(Param p) {
    int inputs = p.shape().get(0);
    if (isNarrowKernel(p)) return Optional.of(new KernelLayout.Transposed(inputs, p.shape().get(1)));
    if (isWideKernel(p)) return Optional.of(new KernelLayout.Panels(inputs, p.shape().get(1), PANEL_WIDTH));
    return Optional.empty();
  }

  private static boolean narrow(LayerKernel.Dense d) {
    return VectorDenseKernels.narrow(d);
  }

  private MethodSpec constructor() {
    MethodSpec.Builder m = MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
        .addJavadoc("Reads the weights resource {@link #WEIGHTS_RESOURCE} beside this class and checks it.\n")
        .addJavadoc("\n@throws IllegalStateException if the resource is missing, or is not the file this class was\n")
        .addJavadoc("    compiled with (its SHA-256 is not {@link #WEIGHTS_SHA256})\n")
        .addStatement("float[] weights = readWeights()");
    int offset = 0;
    for (Param p : plan.params()) {
      Optional<KernelLayout> layout = layout(p);
      if (layout.isPresent()) {
        String keras = p.field() + "Keras";
        m.addStatement("float[] $L = $T.copyOfRange(weights, $L, $L)", keras, Arrays.class, offset, offset + p.size())
            .addStatement("$L = new float[$L]", p.field(), layout.get().arrayLength(p.size()))
            .addCode(layout.get().fromKeras(keras, p.field()));
      } else {
        m.addStatement("$L = $T.copyOfRange(weights, $L, $L)", p.field(), Arrays.class, offset, offset + p.size());
      }
      offset += p.size();
    }
    return m.build();
  }

  private void addApi(TypeSpec.Builder type, boolean rows) {
    type.addMethod(MethodSpec.methodBuilder("predict").addModifiers(Modifier.PUBLIC).returns(FLOATS)
        .addJavadoc("The model's $L for one sample.\n", model.loss().kind() == LossSpec.Kind.MEAN_SQUARED_ERROR ? "outputs" : "probabilities")
        .addJavadoc("\n@param input {@link #INPUT_SIZE} floats, as the model was trained on\n")
        .addJavadoc("@return a new array of {@link #OUTPUT_SIZE} floats\n")
        .addJavadoc("@throws IllegalArgumentException if {@code input} does not hold {@link #INPUT_SIZE} floats\n")
        .addParameter(FLOATS, "input")
        .addStatement("checkInput(input)")
        .addStatement("float[] output = new float[OUTPUT_SIZE]")
        .addStatement("forward(input, 0, output, 0, workspaces.get())")
        .addStatement("return output")
        .build());
    type.addMethod(MethodSpec.methodBuilder("predict").addModifiers(Modifier.PUBLIC)
        .addJavadoc("Predicts {@code count} samples at once, allocating nothing: sample {@code i} is read from\n")
        .addJavadoc("{@code inputs[i * INPUT_SIZE]} on and its outputs written to {@code outputs[i * OUTPUT_SIZE]} on.\n")
        .addJavadoc("\n@param inputs at least {@code count * INPUT_SIZE} floats, the samples one after the other\n")
        .addJavadoc("@param count how many samples\n")
        .addJavadoc("@param outputs at least {@code count * OUTPUT_SIZE} floats; overwritten\n")
        .addJavadoc("@throws IllegalArgumentException if {@code count} is negative or an array is too short\n")
        .addParameter(FLOATS, "inputs").addParameter(int.class, "count").addParameter(FLOATS, "outputs")
        .beginControlFlow("if (count < 0 || inputs.length / INPUT_SIZE < count || outputs.length / OUTPUT_SIZE < count)")
        .addStatement("throw new $T(count + \" samples need \" + (long) count * INPUT_SIZE + \" input and \" + (long) count * OUTPUT_SIZE"
            + " + \" output floats; got \" + inputs.length + \" and \" + outputs.length)", IllegalArgumentException.class)
        .endControlFlow()
        .addCode(rows ? CodeBlock.builder()
            .beginControlFlow("if (VECTOR)")
            .addStatement("Rows r = rowWorkspaces.get()")
            .beginControlFlow("for (int i = 0; i < count; i += BATCH_ROWS)")
            .addStatement("forwardRows(inputs, i * INPUT_SIZE, Math.min(BATCH_ROWS, count - i), outputs, i * OUTPUT_SIZE, r)")
            .endControlFlow()
            .addStatement("return")
            .endControlFlow()
            .build() : CodeBlock.of(""))
        .addStatement("Workspace w = workspaces.get()")
        .beginControlFlow("for (int i = 0; i < count; i++)")
        .addStatement("forward(inputs, i * INPUT_SIZE, outputs, i * OUTPUT_SIZE, w)")
        .endControlFlow()
        .build());
    boolean threshold = model.outputSize() == 1;
    MethodSpec.Builder predictClass = MethodSpec.methodBuilder("predictClass").addModifiers(Modifier.PUBLIC).returns(int.class)
        .addJavadoc(threshold
            ? "The predicted class of one sample: 1 if the output is above 0.5, else 0; allocates nothing.\n"
            : "The predicted class of one sample: the index of its largest output (the first, on a tie); allocates nothing.\n")
        .addJavadoc("\n@param input {@link #INPUT_SIZE} floats, as the model was trained on\n")
        .addJavadoc(threshold ? "@return 0 or 1\n" : "@return a class index, from 0 to {@code OUTPUT_SIZE - 1}\n")
        .addJavadoc("@throws IllegalArgumentException if {@code input} does not hold {@link #INPUT_SIZE} floats\n")
        .addParameter(FLOATS, "input")
        .addStatement("checkInput(input)")
        .addStatement("Workspace w = workspaces.get()")
        .addStatement("forward(input, 0, w.output, 0, w)");
    if (threshold) {
      predictClass.addStatement("return w.output[0] > 0.5f ? 1 : 0");
    } else {
      predictClass.addStatement("int best = 0")
          .beginControlFlow("for (int c = 1; c < OUTPUT_SIZE; c++)")
          .beginControlFlow("if (w.output[c] > w.output[best])")
          .addStatement("best = c")
          .endControlFlow()
          .endControlFlow()
          .addStatement("return best");
    }
    type.addMethod(predictClass.build());
    type.addMethod(MethodSpec.methodBuilder("usesVectorKernels").addModifiers(Modifier.PUBLIC, Modifier.STATIC)
        .returns(boolean.class)
        .addJavadoc("Whether this JVM runs the Vector API kernels (else plain Java); the same for the JVM's lifetime.\n")
        .addJavadoc(vector
            ? "\n@return true where the JVM runs with the Vector API module\n"
            : "\n@return false: this class was compiled with plain Java kernels only\n")
        .addStatement("return VECTOR")
        .build());
    type.addMethod(MethodSpec.methodBuilder("checkInput").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
        .addParameter(FLOATS, "input")
        .beginControlFlow("if (input.length != INPUT_SIZE)")
        .addStatement("throw new $T(\"an input of \" + input.length + \" floats; $L takes \" + INPUT_SIZE)",
            IllegalArgumentException.class, className)
        .endControlFlow()
        .build());
  }

  // ---------------------------------------------------------------- forward

  /** Where a layer's values are: an array expression and the offset of the sample in it. */
  private record Values(String array, String offset, int width) {}

  /** {@code forward(x, xo, out, oo, w)}: one sample from {@code x[xo]} on to {@code out[oo]} on. */
  private MethodSpec forward() {
    List<LayerKernel> layers = plan.layers();
    int lastComputed = -1;
    for (int i = 0; i < layers.size(); i++) {
      if (!(layers.get(i) instanceof LayerKernel.Dropout)) lastComputed = i;
    }
    MethodSpec.Builder m = MethodSpec.methodBuilder("forward").addModifiers(Modifier.PRIVATE)
        .addJavadoc("The forward pass of the sample at {@code x[xo]}, its outputs written to {@code out[oo]}.\n")
        .addParameter(FLOATS, "x").addParameter(int.class, "xo").addParameter(FLOATS, "out").addParameter(int.class, "oo")
        .addParameter(workspaceType(), "w");
    CodeBlock scalarPass = layers(lastComputed, false);
    if (vector) {
      m.beginControlFlow("if (VECTOR)")
          .addCode(layers(lastComputed, true))
          .nextControlFlow("else")
          .addCode(scalarPass)
          .endControlFlow();
    } else {
      m.addCode(scalarPass);
    }
    if (lastComputed < 0) {
      m.addStatement("$T.arraycopy(x, xo, out, oo, $L)", System.class, model.inputSize());
    }
    if (plan.loss().appliesActivation()) m.addCode(lossActivationComment()).addCode(lossActivationPass("oo"));
    return m.build();
  }

  /** The calls of every layer's kernel, the vector ones or the plain ones; the last layer writes to {@code out}. */
  private CodeBlock layers(int lastComputed, boolean vectorCalls) {
    CodeBlock.Builder code = CodeBlock.builder();
    String prefix = vectorCalls ? VECTOR_CLASS + "." : "";
    Values current = new Values("x", "xo", model.inputSize());
    int work = 0;
    List<LayerKernel> layers = plan.layers();
    for (int i = 0; i < layers.size(); i++) {
      LayerKernel layer = layers.get(i);
      String stem = Planner.javaName(layer.layer().name());
      int width = Shapes.size(layer.layer().outputShape());
      Values in = current;
      Values out = i == lastComputed ? new Values("out", "oo", width) : new Values("w.work", String.valueOf(work), width);
      boolean computed = layer.accept(new LayerKernel.Visitor<Boolean>() {
        @Override
        public Boolean dense(LayerKernel.Dense d) {
          ActivationCode act = new ActivationCode(d.layer().activation());
          code.add(denseComment(d));
          String w = weightArguments(d);
          if (narrow(d)) {
            code.addStatement("$L$L($L, $L, $L, $L, $L$L)", prefix, stem, in.array(), in.offset(), w, out.array(), out.offset(),
                vectorCalls ? ", w.lanes" : "");
            if (!vectorCalls) {
              scalarKernels.add(scalarNarrow(d, stem, act));
              if (vector) vectorKernels.add(vectorNarrow(d, stem, act));
            }
          } else {
            String count = stem + "NonZero";
            code.addStatement("int $L = nonZero($L, $L, $L, w.index, w.values, 0)", count,
                in.array(), in.offset(), d.layer().inputs());
            code.addStatement("$L$L(w.index, w.values, $L, $L, $L, $L)", prefix, stem, count, w, out.array(), out.offset());
            indexSize = Math.max(indexSize, d.layer().inputs());
            if (!vectorCalls) {
              scalarKernels.add(scalarWide(d, stem, act));
              if (vector) vectorKernels.addAll(vectorWide(d, stem, act));
            }
          }
          return true;
        }

        @Override
        public Boolean activation(LayerKernel.Activation a) {
          ActivationCode act = new ActivationCode(a.layer().activation());
          code.add(activationComment(a));
          code.addStatement("$L($L, $L, $L, $L)", stem, in.array(), in.offset(), out.array(), out.offset());
          if (!vectorCalls) scalarKernels.add(activationLayer(stem, act, width));
          return true;
        }

        @Override
        public Boolean dropout(LayerKernel.Dropout d) {
          code.add(dropoutComment(d));
          return false;
        }
      });
      if (computed) {
        current = out;
        if (out.array().equals("w.work")) work += width;
      }
    }
    workFloats = Math.max(workFloats, work);
    if (indexSize > 0 && !vectorCalls) {
      if (scalarKernels.stream().noneMatch(k -> k.name().equals("nonZero"))) scalarKernels.add(0, nonZero());
    }
    return code.build();
  }

  /**
   * {@code forwardRows(x, xo, rows, out, oo, r)}, the batch form's forward pass on the Vector API
   * kernels: up to {@link #BATCH_ROWS} samples layer by layer, each wide layer through the training
   * class's blocked sparse kernel ({@link PanelVectorKernels#sparseForward}) over the index of all of
   * their non-zero inputs. One sample at a time, each of a panel's rows came from the second-level
   * cache once a sample; in blocks, the rows of a block serve every sample that needs them. The sums
   * are those of {@link #forward()}: each output adds its products in input order.
   */
  private MethodSpec forwardRows() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("forwardRows").addModifiers(Modifier.PRIVATE)
        .addJavadoc("The forward pass of the {@code rows} samples from {@code x[xo]} on, their outputs written from\n")
        .addJavadoc("{@code out[oo]} on, a layer at a time; only where the Vector API kernels run.\n")
        .addParameter(FLOATS, "x").addParameter(int.class, "xo").addParameter(int.class, "rows")
        .addParameter(FLOATS, "out").addParameter(int.class, "oo").addParameter(rowsType(), "r");
    Values current = new Values("x", "xo", model.inputSize());
    for (LayerKernel layer : plan.layers()) {
      String stem = Planner.javaName(layer.layer().name());
      int width = Shapes.size(layer.layer().outputShape());
      Values out = new Values("r." + rowsField(stem), "0", width);
      String in = current.array();
      boolean inFromZero = current.offset().equals("0");
      String inAt = (inFromZero ? "" : current.offset() + " + ") + "i * " + current.width();
      int inWidth = current.width();
      boolean computed = layer.accept(new LayerKernel.Visitor<Boolean>() {
        @Override
        public Boolean dense(LayerKernel.Dense d) {
          ActivationCode act = new ActivationCode(d.layer().activation());
          m.addCode(denseComment(d));
          String w = weightArguments(d);
          if (narrow(d) && inFromZero) {
            // the training class's kernel: two samples at a time, each vector of the kernel loaded once for both
            // (rows past the batch's in the scratch arrays, up to the next multiple of 4, are computed and not used)
            String kernel = stem + "Rows";
            m.addStatement("$L.$L($L, $L, $L, 0, rows, r.blockLanes)", VECTOR_CLASS, kernel, in, w, out.array());
            vectorKernels.add(NarrowVectorKernels.forward(d, kernel, act));
            narrowRows = true;
          } else if (narrow(d)) {
            m.beginControlFlow("for (int i = 0; i < rows; i++)")
                .addStatement("$L.$L($L, $L, $L, $L, i * $L, r.lanes)", VECTOR_CLASS, stem, in, inAt, w, out.array(), width)
                .endControlFlow();
          } else {
            String kernel = stem + "Rows";
            m.addCode("{\n$>")
                .addStatement("int p = 0")
                .beginControlFlow("for (int i = 0; i < rows; i++)")
                .addStatement("r.start[i] = p")
                .addStatement("p = nonZero($L, $L, $L, r.column, r.value, p)", in, inAt, inWidth)
                .addStatement("r.end[i] = p")
                .endControlFlow()
                .addStatement("$L.$L(r.start, r.end, r.column, r.value, r.cursor, $L, $L, r.sums, r.sumsAt, rows, 0, 1)",
                    VECTOR_CLASS, kernel, w, out.array())
                .addCode("$<}\n");
            vectorKernels.addAll(PanelVectorKernels.sparseForward(d, kernel, act, false));
          }
          return true;
        }

        @Override
        public Boolean activation(LayerKernel.Activation a) {
          m.addCode(activationComment(a))
              .beginControlFlow("for (int i = 0; i < rows; i++)")
              .addStatement("$L($L, $L, $L, i * $L)", stem, in, inAt, out.array(), width)
              .endControlFlow();
          return true;
        }

        @Override
        public Boolean dropout(LayerKernel.Dropout d) {
          m.addCode(dropoutComment(d));
          return false;
        }
      });
      if (computed) {
        rowsFields.put(rowsField(stem), width);
        current = out;
      }
    }
    m.addStatement("$T.arraycopy($L, $L, out, oo, rows * OUTPUT_SIZE)", System.class, current.array(), current.offset());
    if (plan.loss().appliesActivation()) {
      m.addCode(lossActivationComment())
          .beginControlFlow("for (int sample = 0; sample < rows; sample++)")
          .addStatement("int o = oo + sample * OUTPUT_SIZE")
          .addCode(lossActivationPass("o"))
          .endControlFlow();
    }
    return m.build();
  }

  /** {@code // dense_1: h = relu(x*W + b)   mnist.nn:4}: what a dense layer's call computes, and where the source says so. */
  private CodeBlock denseComment(LayerKernel.Dense d) {
    return CodeBlock.of("// $L: h = $L(x*W$L)   $L:$L\n", d.layer().name(), d.layer().activation().kerasName(),
        d.bias() == null ? "" : " + b", source, d.layer().line());
  }

  private CodeBlock activationComment(LayerKernel.Activation a) {
    return CodeBlock.of("// $L: h = $L(x)   $L:$L\n", a.layer().name(), a.layer().activation().kerasName(), source, a.layer().line());
  }

  private CodeBlock dropoutComment(LayerKernel.Dropout d) {
    return CodeBlock.of("// $L: dropout is the identity in inference   $L:$L\n", d.layer().name(), source, d.layer().line());
  }

  /** The activation the loss applies to the logits, which the predictor applies to its outputs. */
  private Activation lossActivation() {
    return model.loss().kind() == LossSpec.Kind.BINARY_CROSSENTROPY ? Activation.SIGMOID : Activation.SOFTMAX;
  }

  private CodeBlock lossActivationComment() {
    return CodeBlock.of("// the loss reads logits: the outputs are $L(logits)   $L:$L\n", lossActivation().kerasName(), source,
        plan.loss().line());
  }

  /** {@link #lossActivation} on one sample's outputs, from {@code out[offset]} on. */
  private CodeBlock lossActivationPass(String offset) {
    return activationPass(new ActivationCode(lossActivation()), "out", offset, model.outputSize());
  }

  /** The batch form's scratch space, in bytes, with 16-lane vectors. */
  private long rowsBytes() {
    long floats = 3L * BATCH_ROWS + 2L * BATCH_ROWS * indexSize + (sumsSlab() ? 0 : KernelLayout.Panels.START_FLOATS + BATCH_ROWS * PANEL * 16L);
    for (int width : rowsFields.values()) floats += (long) BATCH_ROWS * width;
    if (narrowRows) floats += NarrowVectorKernels.SCRATCH_VECTORS * 16L;
    return floats * 4;
  }

  /** A dense layer's weight arrays as a kernel takes them: {@code kernel[, bias]}. */
  private static String weightArguments(LayerKernel.Dense d) {
    return d.bias() == null ? d.kernel().field() : d.kernel().field() + ", " + d.bias().field();
  }

  private static String rowsField(String stem) {
    return stem + "Out";
  }

  // ---------------------------------------------------------------- plain Java kernels

  private static MethodSpec.Builder kernel(String name) {
    return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC);
  }

  private static MethodSpec.Builder wideSignature(LayerKernel.Dense d, String stem) {
    MethodSpec.Builder m = kernel(stem)
        .addParameter(INTS, "index").addParameter(FLOATS, "values").addParameter(int.class, "count")
        .addParameter(FLOATS, "w");
    if (d.bias() != null) m.addParameter(FLOATS, "b");
    return m.addParameter(FLOATS, "h").addParameter(int.class, "ho");
  }

  private static MethodSpec.Builder narrowSignature(LayerKernel.Dense d, String stem) {
    MethodSpec.Builder m = kernel(stem).addParameter(FLOATS, "x").addParameter(int.class, "xo").addParameter(FLOATS, "w");
    if (d.bias() != null) m.addParameter(FLOATS, "b");
    return m.addParameter(FLOATS, "h").addParameter(int.class, "ho");
  }

  /**
   * {@code nonZero(x, xo, size, index, values, at)}: lists the non-zero values of {@code x[xo..xo+size)}
   * from {@code index[at]} and {@code values[at]} on, and returns where the list ends.
   */
  private static MethodSpec.Builder nonZeroSignature() {
    return kernel("nonZero").returns(int.class)
        .addJavadoc("Lists the non-zero values of {@code x[xo]..x[xo + size - 1]} from {@code at} on: positions in\n")
        .addJavadoc("{@code index}, values in {@code values}; returns where the list ends. Branch-free: a zero is\n")
        .addJavadoc("written, then overwritten.\n")
        .addParameter(FLOATS, "x").addParameter(int.class, "xo").addParameter(int.class, "size")
        .addParameter(INTS, "index").addParameter(FLOATS, "values").addParameter(int.class, "at");
  }

  /**
   * The wide layers' index of non-zero inputs, for both kinds of kernel: {@link SparseInputIndex#FLOAT_BLOCK}
   * floats tested at once (the blank runs of an image's rows), in plain Java (see
   * {@link SparseInputIndex#floatBlockBits}). The training class's row index is the same loop, kept
   * apart on purpose: written by one builder, one or the other ran about 10-30% slower (the loop
   * limit's form matters to the JIT; bench/README.md, "2026-12-07, tenth").
   */
  private static MethodSpec nonZero() {
    return nonZeroSignature()
        .addStatement("int count = at")
        .addStatement("int k = 0")
        .beginControlFlow("for (; k <= size - $L; k += $L)", SparseInputIndex.FLOAT_BLOCK, SparseInputIndex.FLOAT_BLOCK)
        .beginControlFlow("if ($L == 0)", SparseInputIndex.floatBlockBits("x", "xo + k"))
        .addStatement("continue")
        .endControlFlow()
        .beginControlFlow("for (int e = k; e < k + $L; e++)", SparseInputIndex.FLOAT_BLOCK)
        .addCode(nonZeroStep("e"))
        .endControlFlow()
        .endControlFlow()
        .beginControlFlow("for (; k < size; k++)")
        .addCode(nonZeroStep("k"))
        .endControlFlow()
        .addStatement("return count")
        .build();
  }

  /** One input at {@code k} (a variable's name) listed, if not zero, without a branch: written, then counted or not. */
  private static CodeBlock nonZeroStep(String k) {
    return CodeBlock.builder()
        .addStatement("float v = x[xo + $L]", k)
        .addStatement("index[count] = $L", k)
        .addStatement("values[count] = v")
        .addStatement("count += v != 0f ? 1 : 0")
        .build();
  }

  private MethodSpec scalarWide(LayerKernel.Dense d, String stem, ActivationCode act) {
    int k = d.layer().inputs();
    int n = d.layer().units();
    return wideSignature(d, stem)
        .addJavadoc("$L: {@code h = $L(x*W$L)} over the non-zero inputs {@code x[index[t]] = values[t]}; {@code W} is\n",
            d.layer().name(), act.activation().kerasName(), d.bias() == null ? "" : " + b")
        .addJavadoc("{@code [$L][$L]} in column panels from {@code PANEL_START} on, so each input adds one contiguous row of each.   {@code $L:$L}\n",
            k, n, source, d.layer().line())
        .addCode(d.bias() != null
            ? CodeBlock.of("$T.arraycopy(b, 0, h, ho, $L);\n", System.class, n)
            : CodeBlock.of("$T.fill(h, ho, ho + $L, 0f);\n", Arrays.class, n))
        .addStatement("int paneled = $L - $L % PANEL_WIDTH", n, n)
        .addStatement("int rest = $L - paneled", n)
        .beginControlFlow("for (int c = 0; c < paneled; c += PANEL_WIDTH)")
        .addStatement("int wp = $L + c * $L", PANEL_START, k)
        .addCode(scalarRows("wp", "PANEL_WIDTH", "c"))
        .endControlFlow()
        .addComment("the columns past the last panel, [inputs][rest] after the panels")
        .addCode(scalarRows(PANEL_START + " + paneled * " + k, "rest", "paneled"))
        .addCode(activationPass(act, "h", "ho", n))
        .build();
  }

  /** Every non-zero input adds its row of {@code width} weights from {@code at} into {@code h} from {@code ho + c}. */
  private static CodeBlock scalarRows(String at, String width, String c) {
    return CodeBlock.builder()
        .beginControlFlow("for (int t = 0; t < count; t++)")
        .addStatement("float v = values[t]")
        .addStatement("int row = $L + index[t] * $L", at, width)
        .addStatement("int hc = ho + $L", c)
        .beginControlFlow("for (int j = 0; j < $L; j++)", width)
        .addStatement("h[hc + j] += v * w[row + j]")
        .endControlFlow()
        .endControlFlow()
        .build();
  }

  private MethodSpec scalarNarrow(LayerKernel.Dense d, String stem, ActivationCode act) {
    int k = d.layer().inputs();
    int n = d.layer().units();
    return narrowSignature(d, stem)
        .addJavadoc("$L: {@code h = $L(x*W$L)}, as dot products: {@code W} is kept transposed, {@code [$L][$L]}.   {@code $L:$L}\n",
            d.layer().name(), act.activation().kerasName(), d.bias() == null ? "" : " + b", n, k, source, d.layer().line())
        .beginControlFlow("for (int c = 0; c < $L; c++)", n)
        .addStatement("float s = $L", d.bias() != null ? "b[c]" : "0f")
        .addStatement("int row = c * $L", k)
        .beginControlFlow("for (int k = 0; k < $L; k++)", k)
        .addStatement("s += x[xo + k] * w[row + k]")
        .endControlFlow()
        .addStatement("h[ho + c] = $L", act.rowWise() ? "s" : act.apply("s"))
        .endControlFlow()
        .addCode(act.rowWise() ? activationPass(act, "h", "ho", n) : CodeBlock.of(""))
        .build();
  }

  private MethodSpec activationLayer(String stem, ActivationCode act, int width) {
    MethodSpec.Builder m = kernel(stem)
        .addParameter(FLOATS, "x").addParameter(int.class, "xo").addParameter(FLOATS, "h").addParameter(int.class, "ho");
    if (act.rowWise()) {
      return m.addStatement("$T.arraycopy(x, xo, h, ho, $L)", System.class, width)
          .addCode(ActivationCode.softmaxRow("h", "ho", width))
          .build();
    }
    return m.beginControlFlow("for (int c = 0; c < $L; c++)", width)
        .addStatement("h[ho + c] = $L", act.apply("x[xo + c]"))
        .endControlFlow()
        .build();
  }

  /** Statements applying {@code act} in place to {@code width} floats of {@code h} from {@code ho}. */
  private static CodeBlock activationPass(ActivationCode act, String h, String ho, int width) {
    if (act.rowWise()) return ActivationCode.softmaxRow(h, ho, width);
    if (act.activation() == Activation.LINEAR) return CodeBlock.of("");
    return CodeBlock.builder()
        .beginControlFlow("for (int i = 0; i < $L; i++)", width)
        .addStatement("$L[$L + i] = $L", h, ho, act.apply(h + "[" + ho + " + i]"))
        .endControlFlow()
        .build();
  }

  // ---------------------------------------------------------------- Vector API kernels

  private TypeSpec vectorClass() {
    TypeName species = ParameterizedTypeName.get(VECTOR_SPECIES, ClassName.get(Float.class));
    TypeSpec.Builder kernels = TypeSpec.classBuilder(VECTOR_CLASS).addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The kernels in Vector API code; loaded only where the JVM has {@code jdk.incubator.vector}.\n")
        .addJavadoc("Vectors stay in locals: none crosses a method boundary or sits in a field.\n")
        .addField(FieldSpec.builder(species, "SPECIES", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("The widest float vector this machine runs well: 8 floats on AVX2, 16 on AVX-512.\n")
            .initializer("$T.SPECIES_PREFERRED", FLOAT_VECTOR).build())
        .addField(FieldSpec.builder(int.class, "LANES", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .initializer("SPECIES.length()").build())
        .addField(FieldSpec.builder(int.class, "PANEL_WIDTH", Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("The wide kernels' panel width: $L vectors.\n", PANEL)
            .initializer("$L", PanelVectorKernels.WIDTH).build())
        .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build());
    if (!rowsFields.isEmpty()) {
      kernels.addField(FieldSpec.builder(int.class, "ROWS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc("The most samples a blocked kernel takes at once.\n")
          .initializer("BATCH_ROWS").build());
    }
    return kernels.addMethods(vectorKernels).build();
  }

  /**
   * One sample: panels of {@link #PANEL} vectors of columns, each accumulated in registers over
   * every non-zero input (two panels at a time with 16 lanes or more), then, in a method of their
   * own ({@code <stem>Rest}), single panels, single vectors and single columns. With all of these
   * loops in one method the first-tier compiler ran out of virtual registers on it, and a JVM that
   * had compiled it at its intermediate tier before kept that code, which boxes every vector: a
   * single MNIST image took 105 µs instead of 3.4 in about one JVM in ten.
   */
  private List<MethodSpec> vectorWide(LayerKernel.Dense d, String stem, ActivationCode act) {
    int k = d.layer().inputs();
    int n = d.layer().units();
    boolean bias = d.bias() != null;
    boolean relu = act.activation() == Activation.RELU;
    MethodSpec.Builder m = wideSignature(d, stem)
        .addStatement("int paneled = $L - $L % PANEL_WIDTH", n, n)
        .addStatement("int c = 0")
        .beginControlFlow("if (LANES >= 16)")
        .addComment("two panels a pass: 16 accumulators of AVX-512's 32 registers");
    addPanels(m, k, 2, bias, relu);
    m.endControlFlow()
        .addStatement("$LRest(index, values, count, w, $Lh, ho, c)", stem, bias ? "b, " : "");
    if (!relu) m.addCode(activationPass(act, "h", "ho", n));

    MethodSpec.Builder rest = wideSignature(d, stem + "Rest").addParameter(int.class, "c")
        .addJavadoc("{@code $L}'s columns from {@code c} on, past its passes of two panels.\n", stem)
        .addStatement("int paneled = $L - $L % PANEL_WIDTH", n, n)
        .addStatement("int rest = $L - paneled", n);
    addPanels(rest, k, 1, bias, relu);
    rest.addComment("the columns past the last panel, [inputs][rest] after the panels: a vector, then one at a time")
        .addStatement("int wr = $L + paneled * $L - paneled", PANEL_START, k)
        .beginControlFlow("for (; c <= $L - LANES; c += LANES)", n)
        .addStatement("$T a = $L", FLOAT_VECTOR, bias ? "FloatVector.fromArray(SPECIES, b, c)" : "FloatVector.zero(SPECIES)")
        .beginControlFlow("for (int t = 0; t < count; t++)")
        .addStatement("a = $T.broadcast(SPECIES, values[t]).fma($T.fromArray(SPECIES, w, wr + index[t] * rest + c), a)",
            FLOAT_VECTOR, FLOAT_VECTOR)
        .endControlFlow()
        .addStatement("a$L.intoArray(h, ho + c)", relu ? ".max(0f)" : "")
        .endControlFlow()
        .beginControlFlow("for (; c < $L; c++)", n)
        .addStatement("float s = $L", bias ? "b[c]" : "0f")
        .beginControlFlow("for (int t = 0; t < count; t++)")
        .addStatement("s += values[t] * w[wr + index[t] * rest + c]")
        .endControlFlow()
        .addStatement("h[ho + c] = $L", relu ? "Math.max(s, 0f)" : "s")
        .endControlFlow();
    return List.of(m.build(), rest.build());
  }

  /**
   * {@code for (; c + panels * PANEL_WIDTH <= paneled; ...)}: {@code panels} panels side by side (the
   * second's rows {@code PANEL_WIDTH * inputs} floats after the first's), their columns in as many
   * accumulators over every non-zero input.
   */
  private static void addPanels(MethodSpec.Builder m, int k, int panels, boolean bias, boolean relu) {
    String step = panels == 1 ? "PANEL_WIDTH" : panels + " * PANEL_WIDTH";
    m.beginControlFlow("for (; c + $L <= paneled; c += $L)", step, step)
        .addStatement("int wp = $L + c * $L", PANEL_START, k);
    for (int q = 1; q < panels; q++) m.addStatement("int wp$L = wp + $L * PANEL_WIDTH * $L", q, q, k);
    int vectors = panels * PANEL;
    for (int v = 0; v < vectors; v++) {
      if (bias) m.addStatement("$T a$L = $T.fromArray(SPECIES, b, c$L)", FLOAT_VECTOR, v, FLOAT_VECTOR, lanes(v));
      else m.addStatement("$T a$L = $T.zero(SPECIES)", FLOAT_VECTOR, v, FLOAT_VECTOR);
    }
    m.beginControlFlow("for (int t = 0; t < count; t++)")
        .addStatement("$T v = $T.broadcast(SPECIES, values[t])", FLOAT_VECTOR, FLOAT_VECTOR)
        .addStatement("int row = index[t] * PANEL_WIDTH");
    for (int v = 0; v < vectors; v++) {
      String panel = v < PANEL ? "wp" : "wp" + v / PANEL;
      m.addStatement("a$L = v.fma($T.fromArray(SPECIES, w, $L + row$L), a$L)", v, FLOAT_VECTOR, panel, lanes(v % PANEL), v);
    }
    m.endControlFlow();
    for (int v = 0; v < vectors; v++) {
      m.addStatement("a$L$L.intoArray(h, ho + c$L)", v, relu ? ".max(0f)" : "", lanes(v));
    }
    m.endControlFlow();
  }

  /**
   * The outputs in blocks of at most {@link #DOTS}, as even as can be (10 as one block, 20 as two of
   * 10), each output a vector accumulator along the inputs, reduced at the end.
   */
  private MethodSpec vectorNarrow(LayerKernel.Dense d, String stem, ActivationCode act) {
    int k = d.layer().inputs();
    int n = d.layer().units();
    boolean bias = d.bias() != null;
    MethodSpec.Builder m = narrowSignature(d, stem).addParameter(FLOATS, "lanes")
        .addStatement("int vectors = $L - $L % LANES", k, k);
    int[] starts = NarrowVectorKernels.evenBlockStarts(n, DOTS);
    for (int b = 0; b + 1 < starts.length; b++) {
      int c = starts[b], dots = starts[b + 1] - c;
      m.addCode("// outputs $L to $L\n", c, c + dots - 1).addCode("{\n$>");
      StringBuilder init = new StringBuilder();
      for (int j = 0; j < dots; j++) init.append(j > 0 ? ", " : "").append("a").append(j).append(" = FloatVector.zero(SPECIES)");
      m.addStatement("$T $L", FLOAT_VECTOR, init)
          .beginControlFlow("for (int k = 0; k < vectors; k += LANES)")
          .addStatement("$T v = $T.fromArray(SPECIES, x, xo + k)", FLOAT_VECTOR, FLOAT_VECTOR);
      for (int j = 0; j < dots; j++) {
        m.addStatement("a$L = v.fma($T.fromArray(SPECIES, w, $L + k), a$L)", j, FLOAT_VECTOR, (c + j) * k, j);
      }
      m.endControlFlow();
      // lane 0 first, in scalar floats, as the training class sums them: reduceLanes lets the JIT choose
      // the order, and on JDK 25 the outputs then changed in their last bits once it had compiled this
      List<String> accumulators = new ArrayList<>();
      List<String> sums = new ArrayList<>();
      for (int j = 0; j < dots; j++) {
        accumulators.add("a" + j);
        sums.add("s" + j);
      }
      VectorDenseKernels.addLaneSums(m, accumulators, sums);
      m.beginControlFlow("for (int k = vectors; k < $L; k++)", k).addStatement("float v = x[xo + k]");
      for (int j = 0; j < dots; j++) m.addStatement("s$L += v * w[$L + k]", j, (c + j) * k);
      m.endControlFlow();
      for (int j = 0; j < dots; j++) {
        String sum = bias ? "s" + j + " + b[" + (c + j) + "]" : "s" + j;
        m.addStatement("h[ho + $L] = $L", c + j, act.rowWise() ? sum : act.apply("(" + sum + ")"));
      }
      m.addCode("$<}\n");
    }
    if (act.rowWise()) m.addCode(activationPass(act, "h", "ho", n));
    return m.build();
  }

  private static String lanes(int v) {
    return VectorDenseKernels.lanes(v);
  }

  // ---------------------------------------------------------------- workspace and weights

  private ClassName workspaceType() {
    return ClassName.get("", "Workspace");
  }

  private TypeSpec workspace() {
    TypeSpec.Builder t = TypeSpec.classBuilder("Workspace").addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("One thread's scratch space.\n");
    if (workFloats > 0) {
      t.addField(FieldSpec.builder(FLOATS, "work", Modifier.FINAL)
          .addJavadoc("Every layer's output but the last, one after the other.\n")
          .initializer("new float[$L]", workFloats).build());
    }
    if (indexSize > 0) {
      t.addField(FieldSpec.builder(INTS, "index", Modifier.FINAL)
          .addJavadoc("Positions of a layer's non-zero inputs.\n").initializer("new int[$L]", indexSize).build());
      t.addField(FieldSpec.builder(FLOATS, "values", Modifier.FINAL)
          .addJavadoc("Their values.\n").initializer("new float[$L]", indexSize).build());
    }
    t.addField(FieldSpec.builder(FLOATS, "output", Modifier.FINAL)
        .addJavadoc("The outputs {@code predictClass} looks at.\n").initializer("new float[OUTPUT_SIZE]").build());
    if (hasVectorNarrow()) t.addField(laneScratch());
    return t.build();
  }

  private ClassName rowsType() {
    return ClassName.get("", "Rows");
  }

  private TypeSpec rowsWorkspace() {
    TypeSpec.Builder t = TypeSpec.classBuilder("Rows").addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("One thread's scratch space for the batch form, {@code BATCH_ROWS} samples at a time.\n");
    for (String f : List.of("start", "end")) {
      t.addField(FieldSpec.builder(INTS, f, Modifier.FINAL).initializer("new int[BATCH_ROWS]").build());
    }
    t.addField(FieldSpec.builder(INTS, "column", Modifier.FINAL)
        .addJavadoc("The non-zero inputs of a wide layer, sample {@code i}'s from {@code start[i]} to {@code end[i]}: positions.\n")
        .initializer("new int[BATCH_ROWS * $L]", indexSize).build());
    t.addField(FieldSpec.builder(FLOATS, "value", Modifier.FINAL)
        .addJavadoc("Their values.\n").initializer("new float[BATCH_ROWS * $L]", indexSize).build());
    t.addField(FieldSpec.builder(INTS, "cursor", Modifier.FINAL)
        .addJavadoc("How far the blocked kernel has come in each sample's list.\n").initializer("new int[BATCH_ROWS]").build());
    t.addField(FieldSpec.builder(FLOATS, "sums", Modifier.FINAL)
        .addJavadoc("The blocked kernel's sums of a panel, [BATCH_ROWS][PANEL_WIDTH] from {@code sumsAt} on.\n").build());
    t.addField(FieldSpec.builder(int.class, "sumsAt", Modifier.FINAL).build());
    t.addMethod(MethodSpec.constructorBuilder()
        .addParameter(FLOATS, "sums").addParameter(int.class, "sumsAt")
        .addStatement("this.sums = sums")
        .addStatement("this.sumsAt = sumsAt")
        .build());
    rowsFields.forEach((name, width) -> t.addField(FieldSpec.builder(FLOATS, name, Modifier.FINAL)
        .initializer("new float[BATCH_ROWS * $L]", width).build()));
    if (hasVectorNarrow()) t.addField(laneScratch());
    if (narrowRows) {
      t.addField(FieldSpec.builder(FLOATS, "blockLanes", Modifier.FINAL)
          .addJavadoc("Where the batch form's narrow layers sum their accumulators' lanes, a block of outputs at a time.\n")
          .initializer("new float[$L * $L.LANES]", NarrowVectorKernels.SCRATCH_VECTORS, VECTOR_CLASS).build());
    }
    return t.build();
  }

  /**
   * Whether the batch form's threads keep their blocked kernel's sums in one shared array that G1
   * starts on a region boundary: where the wide kernels are made so long themselves.
   */
  private boolean sumsSlab() {
    return plan.params().stream().anyMatch(this::isRegionStarted);
  }

  /**
   * The shared array of the batch form's sums, its slots and {@code newRows()}, which gives a thread
   * its scratch space. Each sum of the blocked kernel is loaded and stored as a vector once a block,
   * and off cache lines (where the JVM happened to put a thread's array) the MNIST predictor's batch
   * form took 1.3-1.4 times as long (one thread: 335,000-370,000 images a second in four JVMs of six,
   * 460,000-480,000 on them). A slot is a thread's until the thread ends.
   */
  private void addSumsSlab(TypeSpec.Builder type) {
    String slot = "BATCH_ROWS * " + PANEL_WIDTH;
    type.addField(FieldSpec.builder(int.class, "SUMS_SLOTS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
            .addJavadoc("Threads whose batch sums the shared array holds.\n")
            .initializer("($L - $L) / ($L)", KernelLayout.Panels.REGION_STARTED, PANEL_START, slot).build())
        .addField(FieldSpec.builder(FLOATS, "sumsSlab", Modifier.PRIVATE)
            .addJavadoc("The first threads' sums of the batch form, a slot of {@code BATCH_ROWS * PANEL_WIDTH} each from\n"
                + "{@code PANEL_START} on: G1 starts it on a region boundary, as it does the wide kernels, so that each\n"
                + "slot lies on cache lines; made on the first batch.\n").build())
        .addField(FieldSpec.builder(Thread[].class, "sumsOwners", Modifier.PRIVATE, Modifier.FINAL)
            .addJavadoc("The thread each slot of {@code sumsSlab} is given to; one that has ended gives it up.\n")
            .initializer("new Thread[SUMS_SLOTS]").build())
        .addMethod(MethodSpec.methodBuilder("newRows").addModifiers(Modifier.PRIVATE, Modifier.SYNCHRONIZED)
            .returns(rowsType())
            .addJavadoc("A new batch scratch space for the calling thread, its sums in a free slot of {@code sumsSlab}.\n")
            .beginControlFlow("if (sumsSlab == null)")
            .addStatement("sumsSlab = new float[$L]", KernelLayout.Panels.REGION_STARTED)
            .endControlFlow()
            .beginControlFlow("for (int s = 0; s < SUMS_SLOTS; s++)")
            .beginControlFlow("if (sumsOwners[s] == null || !sumsOwners[s].isAlive())")
            .addStatement("sumsOwners[s] = Thread.currentThread()")
            .addStatement("return new Rows(sumsSlab, $L + s * $L)", PANEL_START, slot)
            .endControlFlow()
            .endControlFlow()
            .addComment("every slot taken: sums of its own, as fast only where the JVM starts them on a cache line")
            .addStatement("return new Rows(new float[$L + $L], $L)", PANEL_START, slot, PANEL_START)
            .build());
  }

  /** Whether the class has a narrow layer's Vector API kernel, which sums its vectors' lanes in a scratch. */
  private boolean hasVectorNarrow() {
    return vector && plan.layers().stream().anyMatch(l -> l instanceof LayerKernel.Dense d && narrow(d));
  }

  /** A workspace's {@code lanes}: where a narrow layer's vector kernel sums its accumulators' lanes. */
  private static FieldSpec laneScratch() {
    return FieldSpec.builder(FLOATS, "lanes", Modifier.FINAL)
        .addJavadoc("Where a narrow layer's vector kernel sums an accumulator's lanes (none without the Vector API).\n")
        .initializer("new float[VECTOR ? $L.LANES : 0]", VECTOR_CLASS).build();
  }

  private void addLoading(TypeSpec.Builder type) {
    String name = className;
    type.addMethod(kernel("readWeights").returns(FLOATS)
        .addJavadoc("The weights resource's floats, after checking its size and SHA-256.\n")
        .addStatement("byte[] bytes")
        .beginControlFlow("try ($T in = $L.class.getResourceAsStream(WEIGHTS_RESOURCE))", InputStream.class, name)
        .beginControlFlow("if (in == null)")
        .addStatement("throw new $T($S + WEIGHTS_RESOURCE + $S)", IllegalStateException.class,
            name + ": its weights resource ",
            " is missing: it must be beside " + name + ".class, as nnc compile --inference wrote it")
        .endControlFlow()
        .addStatement("bytes = in.readAllBytes()")
        .nextControlFlow("catch ($T e)", IOException.class)
        .addStatement("throw new $T($S + WEIGHTS_RESOURCE + $S + e.getMessage(), e)", UncheckedIOException.class,
            name + ": cannot read its weights resource ", ": ")
        .endControlFlow()
        .addStatement("String sha256 = sha256(bytes)")
        .beginControlFlow("if (bytes.length != WEIGHT_FLOATS * 4 || !sha256.equals(WEIGHTS_SHA256))")
        .addStatement("throw new $T($S + WEIGHTS_RESOURCE + \" (\" + bytes.length + \" bytes, SHA-256 \" + sha256"
                + " + $S + WEIGHT_FLOATS * 4 + \" bytes, SHA-256 \" + WEIGHTS_SHA256 + $S)",
            IllegalStateException.class, name + ": its weights resource ",
            ") is not the one it was compiled with (", "): ship the file written with this class")
        .endControlFlow()
        .addStatement("float[] weights = new float[WEIGHT_FLOATS]")
        .addStatement("$T.wrap(bytes).order($T.LITTLE_ENDIAN).asFloatBuffer().get(weights)", ByteBuffer.class, ByteOrder.class)
        .addStatement("return weights")
        .build());
    type.addMethod(kernel("sha256").returns(String.class)
        .addParameter(TypeName.get(byte[].class), "bytes")
        .addStatement("byte[] digest")
        .beginControlFlow("try")
        .addStatement("digest = $T.getInstance($S).digest(bytes)", MessageDigest.class, "SHA-256")
        .nextControlFlow("catch ($T e)", NoSuchAlgorithmException.class)
        .addStatement("throw new $T($S, e)", IllegalStateException.class, "this Java has no SHA-256")
        .endControlFlow()
        .addStatement("StringBuilder hex = new StringBuilder(64)")
        .beginControlFlow("for (byte b : digest)")
        .addStatement("hex.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16))")
        .endControlFlow()
        .addStatement("return hex.toString()")
        .build());
    KernelLayout.converters(plan.params().stream().map(this::layout).flatMap(Optional::stream)).forEach(type::addMethod);
  }
}
