package dev.nnc.compiler.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.nnc.compiler.GeneratedSource;
import dev.nnc.compiler.Kernels;
import dev.nnc.compiler.model.CheckedModel;
import dev.nnc.compiler.model.DenseSpec;
import dev.nnc.compiler.model.LayerSpec;
import dev.nnc.compiler.model.Shapes;
import dev.nnc.compiler.plan.Buffer;
import dev.nnc.compiler.plan.KernelPlan;
import dev.nnc.compiler.plan.LayerKernel;
import dev.nnc.compiler.plan.LossKernel;
import dev.nnc.compiler.plan.Param;
import dev.nnc.compiler.plan.Planner;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import javax.lang.model.element.Modifier;

/**
 * Writes a {@link KernelPlan} as one Java class implementing the runtime's {@code Model}: constants,
 * flat arrays allocated once, a forward, loss, backward and optimizer method that call one
 * fixed-shape kernel per layer in order, and the kernels themselves.
 *
 * <p>Generated text is ASCII only, so it compiles under any platform encoding.
 */
public final class ModelEmitter {
  static final ClassName MODEL = ClassName.get("dev.nnc.runtime", "Model");
  static final ClassName TENSOR = MODEL.nestedClass("Tensor");
  static final ClassName LOSS_KIND = ClassName.get("dev.nnc.runtime", "LossKind");
  static final ClassName INITIALIZERS = ClassName.get("dev.nnc.runtime", "Initializers");
  static final ClassName WORKER = ClassName.get("dev.nnc.runtime", "Worker");
  static final ClassName DROPOUT_RANDOM = ClassName.get("dev.nnc.runtime", "DropoutRandom");
  private static final TypeName FLOATS = TypeName.get(float[].class);

  private final KernelPlan plan;
  private final CheckedModel model;
  private final DenseKernels dense;
  private final OptimizerKernels optimizer;
  private final LossKernels loss;
  private final String source;
  private final List<MethodSpec> kernels = new ArrayList<>();
  private final List<CodeBlock> derivedStateRefresh = new ArrayList<>();
  /** The index of the batch's non-zero inputs, when a layer's kernels run over it; else null. */
  private final SparseInputIndex sparseInput;
  /** Whether the class can split its step with a worker thread: the vector kernels over the sparse input. */
  private final boolean threads;
  /** The tensors whose optimizer update splits between the threads. */
  private final List<Param> splitParams = new ArrayList<>();
  /** The worker's tasks, one field each, so that a step allocates nothing (see {@link #addWorkerTasks}). */
  private final List<TaskField> workerTasks = new ArrayList<>();

  /** A worker's task: the field that holds it, and the statement it runs (the generated class's WorkerTask). */
  private record TaskField(String field, String call) {}
  /** The kernels the class keeps in a layout of its own, for its dense kernels. */
  private final Map<Param, KernelLayout> layouts = new LinkedHashMap<>();
  /**
   * The kernel whose optimizer step the training step takes inside its sparse weight-gradient
   * kernel ({@link DenseKernels#fusesOptimizerStep}), or null.
   */
  private final Param fusedStep;
  /**
   * The layer over the sparse input and the narrow layer right above it, when the second's backward
   * pass, with the first's activation derivative and bias gradient, splits by the first's column
   * panels (see {@link DenseKernels#columnBackward}); null otherwise.
   */
  private final LayerKernel.Dense columnSplitBelow;
  private final LayerKernel.Dense columnSplitAbove;
  /** The kernel of that backward pass ({@code <above>ColumnBackward}), or null. */
  private final MethodSpec columnBackward;

  private ModelEmitter(KernelPlan plan, DenseKernels dense) {
    this.plan = plan;
    this.model = plan.model();
    this.dense = dense;
    this.optimizer = new OptimizerKernels(model.optimizer(), dense instanceof VectorDenseKernels);
    this.loss = new LossKernels(plan.loss());
    this.source = SourceText.comment(model.sourceFileName());
    this.sparseInput = plan.layers().stream()
            .anyMatch(l -> l instanceof LayerKernel.Dense d && dense.usesSparseInput(d))
        ? new SparseInputIndex(plan.input().field(), plan.input().width(), dense instanceof VectorDenseKernels)
        : null;
    for (LayerKernel layer : plan.layers()) {
      if (layer instanceof LayerKernel.Dense d) dense.kernelLayout(d).ifPresent(l -> layouts.put(d.kernel(), l));
    }
    this.threads = sparseInput != null && dense.splits();
    // The fused kernel reads the step size and its switch from fields the worker support adds.
    LayerKernel.Dense below = null, above = null;
    MethodSpec columnKernel = null;
    for (int i = 0; threads && i + 1 < plan.layers().size(); i++) {
      if (plan.layers().get(i) instanceof LayerKernel.Dense a && dense.usesSparseInput(a) && dense.splits(a)
          && plan.layers().get(i + 1) instanceof LayerKernel.Dense b && b.input().field().equals(a.output().field())
          && b.inputGradient() != null && b.inputGradient().field().equals(a.outputGradient().field())) {
        Optional<MethodSpec> kernel = dense.columnBackward(a, b, stem(b) + "ColumnBackward");
        if (kernel.isPresent()) {
          below = a;
          above = b;
          columnKernel = kernel.get();
        }
      }
    }
    this.columnSplitBelow = below;
    this.columnSplitAbove = above;
    this.columnBackward = columnKernel;
    this.fusedStep = !threads ? null : plan.layers().stream()
        .filter(l -> l instanceof LayerKernel.Dense d && dense.fusesOptimizerStep(d))
        .map(l -> ((LayerKernel.Dense) l).kernel())
        .findFirst().orElse(null);
    if (threads) {
      for (LayerKernel layer : plan.layers()) {
        if (layer instanceof LayerKernel.Dense d && (dense.usesSparseInput(d) || dense.backwardSplits(d))) splitParams.add(d.kernel());
      }
    }
  }

  /**
   * The class with its kernels: its own methods, or, with a {@code kernelClass}, the static ones
   * (package-private, so that the class's static import reaches them) in that nested class.
   */
  private TypeSpec addKernels(TypeSpec.Builder type, Optional<TypeSpec.Builder> kernelClass) {
    if (kernelClass.isEmpty()) return type.addMethods(kernels).build();
    for (MethodSpec kernel : kernels) {
      if (!kernel.modifiers().contains(Modifier.STATIC)) {
        type.addMethod(kernel);
        continue;
      }
      MethodSpec.Builder packagePrivate = MethodSpec.methodBuilder(kernel.name()).addModifiers(Modifier.STATIC)
          .addJavadoc(kernel.javadoc()).addAnnotations(kernel.annotations()).returns(kernel.returnType())
          .addParameters(kernel.parameters()).addCode(kernel.code());
      kernelClass.get().addMethod(packagePrivate.build());
    }
    return type.addType(kernelClass.get().build()).build();
  }

  /** The class for {@code plan} in {@code packageName}, with the given dense kernels. */
  public static GeneratedSource emit(KernelPlan plan, String packageName, Kernels kernels) {
    DenseKernels dense = kernels == Kernels.VECTOR ? new VectorDenseKernels() : new ScalarDenseKernels();
    return new ModelEmitter(plan, dense).emit(packageName);
  }

  private GeneratedSource emit(String packageName) {
    TypeSpec.Builder type = TypeSpec.classBuilder(plan.className())
        .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
        .addSuperinterface(MODEL)
        .addJavadoc(classJavadoc());
    addConstants(type);
    dense.addSupport(type);
    addFields(type);
    if (sparseInput != null) sparseInput.addTo(type, threads);
    for (LayerKernel layer : plan.layers()) {
      if (layer instanceof LayerKernel.Dense d) dense.addDerivedState(type, d, stem(d)).ifPresent(derivedStateRefresh::add);
    }
    if (!derivedStateRefresh.isEmpty()) {
      type.addMethod(MethodSpec.methodBuilder("weightsChanged").addModifiers(Modifier.PRIVATE)
          .addJavadoc("Refreshes what the kernels derive from the weights.\n")
          .addCode(CodeBlock.join(derivedStateRefresh, ""))
          .build());
    }
    type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
        .addJavadoc("A model initialized from the source's seed, $L.\n", model.train().seed())
        .addCode(dense.constructorCheck(plan.className()))
        .addStatement("initialize($LL)", model.train().seed())
        .build());
    addDescription(type);
    addParameterAccess(type);
    type.addMethod(initialize());
    addSteps(type);
    type.addMethod(forward());
    type.addMethod(loss.lossAndGradient());
    type.addMethod(backward());
    type.addMethod(applyOptimizer());
    if (fusedStep != null) type.addMethod(nextIteration());
    if (loss.needsClip()) type.addMethod(loss.clip());
    Optional<TypeSpec.Builder> kernelClass = dense.kernelClass();
    if (threads) addWorker(type);
    JavaFile.Builder file = JavaFile.builder(packageName, addKernels(type, kernelClass));
    // The class calls the kernels of its nested kernel class by their plain names.
    kernelClass.ifPresent(k -> file.addStaticImport(ClassName.get(packageName, plan.className(), k.build().name()), "*"));
    JavaFile java = file
        .addFileComment("generated from $L by nnc - do not edit", source)
        .skipJavaLangImports(true)
        .indent("  ")
        .build();
    return new GeneratedSource(packageName, plan.className(), java.toString());
  }

  // ---------------------------------------------------------------- description

  private CodeBlock classJavadoc() {
    long params = model.parameterCount();
    long stateFloats = plan.params().stream().mapToLong(p -> (long) p.size() * p.stateFields().size()).sum();
    long workspaceFloats = plan.buffers().stream().mapToLong(b -> (long) b.width() * plan.rows()).sum();
    return CodeBlock.builder()
        .add("The {@code $L} model compiled from {@code $L}:\n", model.name(), source)
        .add("{@code $L}.\n", signature(model))
        .add("\n<p>Loss {@code $L}, optimizer {@code $L}; batches of up to $L samples.\n",
            model.loss().kind().kerasName(), optimizer.describe(), plan.maxBatch())
        .add("\n<p>$L trainable parameters. Memory held, all allocated once: parameters $L,\n",
            String.format(Locale.ROOT, "%,d", params), bytes(params))
        .add("gradients $L, optimizer state $L, workspaces for one batch $L.\n",
            bytes(params), bytes(stateFloats), bytes(workspaceFloats))
        .add("A training step allocates nothing.\n")
        .add(dense instanceof VectorDenseKernels
            ? "\n<p>Its dense kernels use the Vector API: compile and run it with\n{@code --add-modules jdk.incubator.vector}.\n"
            : "")
        .add("\n<p>Not thread-safe: one instance trains or predicts on one thread at a time;\n")
        .add("use one instance per thread to predict in parallel.\n")
        .build();
  }

  static String signature(CheckedModel model) {
    StringBuilder s = new StringBuilder(model.inputShape().toString());
    for (LayerSpec layer : model.layers()) {
      s.append(" -> ").append(layer.name()).append(' ').append(layer.outputShape());
      if (layer instanceof DenseSpec d) s.append(' ').append(d.activation().kerasName());
    }
    return s.toString();
  }

  private static String bytes(long floats) {
    double b = floats * 4.0;
    if (b < 1024) return (long) b + " B";
    if (b < 1024 * 1024) return String.format(Locale.ROOT, "%.1f KiB", b / 1024);
    return String.format(Locale.ROOT, "%.1f MiB", b / (1024 * 1024));
  }

  private void addConstants(TypeSpec.Builder type) {
    type.addField(constant("INPUT_SIZE", model.inputSize(), "Features per sample, flattened."));
    type.addField(constant("OUTPUT_SIZE", model.outputSize(), "Outputs per sample."));
    type.addField(constant("MAX_BATCH", plan.maxBatch(), "The most samples one call takes."));
    type.addField(FieldSpec.builder(int.class, "ROWS", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("Workspace rows: {@code MAX_BATCH} rounded up to the kernels' block of $L rows.\n", KernelPlan.ROW_BLOCK)
        .initializer("$L", plan.rows())
        .build());
    for (LayerSpec layer : model.layers()) {
      if (layer instanceof DenseSpec d) {
        type.addField(constant(d.name().toUpperCase(Locale.ROOT) + "_UNITS", d.units(),
            "Units of {@code " + d.name() + "} ({@code " + source + ":" + d.line() + "})."));
      }
    }
    if (hasStartOffsets()) {
      type.addField(FieldSpec.builder(int.class, KernelLayout.Panels.START, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
          .addJavadoc("Where the panels start in their arrays: on a 64-byte boundary where the JVM puts objects on one\n"
              + "({@code -XX:ObjectAlignmentInBytes=64}), so that no vector load straddles two cache lines.\n")
          .initializer("$L", KernelLayout.Panels.START_FLOATS)
          .build());
    }
    if (plan.params().stream().anyMatch(p -> layouts.get(p) instanceof KernelLayout.Panels && KernelLayout.Panels.regionStarted(p.size()))) {
      type.addField(KernelLayout.Panels.regionStartedField());
    }
    CodeBlock tensors = plan.params().stream()
        .map(p -> CodeBlock.of("new $T($S, new int[] {$L})", TENSOR, p.kerasName(),
            p.shape().stream().map(String::valueOf).collect(Collectors.joining(", "))))
        .collect(CodeBlock.joining(",\n"));
    type.addField(FieldSpec.builder(ParameterizedTypeName.get(ClassName.get(List.class), TENSOR), "PARAMETERS",
            Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The trainable tensors, in Keras order and layout.\n")
        .initializer(CodeBlock.builder().add("$T.of(\n$>$>", List.class).add(tensors).add("$<$<)").build())
        .build());
  }

  private static FieldSpec constant(String name, int value, String doc) {
    return FieldSpec.builder(int.class, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("$L\n", doc)
        .initializer("$L", value)
        .build();
  }

  private void addFields(TypeSpec.Builder type) {
    for (Param p : plan.params()) {
      String size = arraySize(p);
      String layout = layouts.containsKey(p) ? "the kernels' layout" : "Keras layout";
      type.addField(array(p.field(), size, p.kerasName() + " " + p.shape() + ", " + layout));
      type.addField(array(p.gradientField(), size, "gradient of " + p.kerasName() + " for the current batch"));
      for (String state : p.stateFields()) {
        type.addField(array(state, size, "optimizer slot of " + p.kerasName()));
      }
    }
    for (Buffer b : plan.buffers()) {
      type.addField(FieldSpec.builder(FLOATS, b.field(), Modifier.PRIVATE, Modifier.FINAL)
          .addJavadoc("$L: [ROWS][$L].\n", b.role(), b.width())
          .initializer("new float[ROWS * $L]", b.width())
          .build());
    }
    if (hasDropout()) {
      type.addField(FieldSpec.builder(DROPOUT_RANDOM, "dropoutRandom", Modifier.PRIVATE)
          .addJavadoc("Draws the dropout masks; reseeded by {@link #initialize}.\n").build());
    }
    type.addField(FieldSpec.builder(long.class, "iterations", Modifier.PRIVATE)
        .addJavadoc("Optimizer steps taken since {@link #initialize}.\n").build());
    type.addField(FieldSpec.builder(float.class, "learningRate", Modifier.PRIVATE)
        .addJavadoc("The optimizer's learning rate, read once per step; the source's, $L, after {@link #initialize}.\n",
            optimizer.learningRate())
        .build());
  }

  private static FieldSpec array(String name, String size, String doc) {
    return FieldSpec.builder(FLOATS, name, Modifier.PRIVATE, Modifier.FINAL)
        .addJavadoc("$L.\n", doc)
        .initializer("new float[$L]", size)
        .build();
  }

  /** Where {@code p}'s layout starts in its arrays, a Java expression ({@code "0"} for Keras layout). */
  private String start(Param p) {
    return layouts.containsKey(p) ? layouts.get(p).start() : "0";
  }

  /** The length of {@code p}'s arrays: its elements after the layout's start, or more (see {@link KernelLayout#arrayLength}). */
  private String arraySize(Param p) {
    return layouts.containsKey(p) ? layouts.get(p).arrayLength(p.size()) : String.valueOf(p.size());
  }

  private boolean hasDropout() {
    return plan.layers().stream().anyMatch(l -> l instanceof LayerKernel.Dropout);
  }

  private void addDescription(TypeSpec.Builder type) {
    type.addMethod(getter("name", String.class, CodeBlock.of("$S", model.name())));
    type.addMethod(getter("inputSize", int.class, CodeBlock.of("INPUT_SIZE")));
    type.addMethod(getter("outputSize", int.class, CodeBlock.of("OUTPUT_SIZE")));
    type.addMethod(getter("maxBatch", int.class, CodeBlock.of("MAX_BATCH")));
    type.addMethod(getter("loss", LOSS_KIND, CodeBlock.of("$T.$L", LOSS_KIND, model.loss().kind().name())));
    type.addMethod(getter("defaultBatchSize", int.class, CodeBlock.of("MAX_BATCH")));
    type.addMethod(getter("metrics", ParameterizedTypeName.get(List.class, String.class), metricNames()));
    type.addMethod(getter("defaultEpochs", int.class, CodeBlock.of("$L", model.train().epochs())));
    type.addMethod(getter("defaultSeed", long.class, CodeBlock.of("$LL", model.train().seed())));
    type.addMethod(getter("parameters", ParameterizedTypeName.get(ClassName.get(List.class), TENSOR), CodeBlock.of("PARAMETERS")));
    type.addMethod(getter("parameterCount", long.class, CodeBlock.of("$LL", model.parameterCount())));
    type.addMethod(getter("output", FLOATS, CodeBlock.of("$L", plan.output().field())));
  }

  /** {@code List.of("accuracy", ...)}: the checked metric names, which are Keras' own (never text from the source). */
  private CodeBlock metricNames() {
    CodeBlock.Builder names = CodeBlock.builder().add("$T.of(", List.class);
    for (int i = 0; i < model.metrics().size(); i++) names.add(i == 0 ? "$S" : ", $S", model.metrics().get(i));
    return names.add(")").build();
  }

  private static MethodSpec getter(String name, TypeName type, CodeBlock value) {
    return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(type).addStatement("return $L", value).build();
  }

  private static MethodSpec getter(String name, Class<?> type, CodeBlock value) {
    return getter(name, TypeName.get(type), value);
  }

  // ---------------------------------------------------------------- parameters

  private void addParameterAccess(TypeSpec.Builder type) {
    type.addMethod(MethodSpec.methodBuilder("readParameter").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .addParameter(String.class, "name").addParameter(FLOATS, "destination")
        .addCode(copyOut("parameter"))
        .build());
    type.addMethod(MethodSpec.methodBuilder("writeParameter").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .addParameter(String.class, "name").addParameter(FLOATS, "source")
        .addCode(copyIn("parameter"))
        .addCode(derivedStateRefresh.isEmpty() ? CodeBlock.of("") : CodeBlock.of("weightsChanged();\n"))
        .build());
    type.addMethod(MethodSpec.methodBuilder("readGradient").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .addParameter(String.class, "name").addParameter(FLOATS, "destination")
        .addCode(copyOut("gradient"))
        .build());
    type.addMethod(MethodSpec.methodBuilder("writeGradient").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .addParameter(String.class, "name").addParameter(FLOATS, "source")
        .addCode(copyIn("gradient"))
        .build());
    type.addMethod(lookup("parameter", Param::field));
    type.addMethod(lookup("gradient", Param::gradientField));
    addTrainingState(type);
    if (hasStartOffsets()) type.addMethod(kerasLength());
    KernelLayout.converters(layouts.values().stream()).forEach(type::addMethod);
  }

  /** Whether some parameter's layout starts past its arrays' first element. */
  private boolean hasStartOffsets() {
    return plan.params().stream().anyMatch(p -> !start(p).equals("0"));
  }

  /** {@code kerasLength(parameter, p)}: the floats of the parameter's array {@code p} in Keras layout. */
  private MethodSpec kerasLength() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("kerasLength").addModifiers(Modifier.PRIVATE, Modifier.STATIC).returns(int.class)
        .addJavadoc("The floats of {@code p}, an array of the parameter named {@code parameter}, in Keras layout: for\n"
            + "one in the kernels' layout, its size (the array also holds what lies before the layout's start,\n"
            + "and may be longer).\n")
        .addParameter(String.class, "parameter").addParameter(FLOATS, "p")
        .beginControlFlow("switch (parameter)");
    for (Param p : plan.params()) {
      if (!start(p).equals("0")) m.addStatement("case $S: return $L", p.kerasName(), p.size());
    }
    return m.addStatement("default: return p.length").endControlFlow().build();
  }

  /** {@code float[] p = lookup(name)}, checked against {@code source}'s length, then {@code source} copied in from Keras layout. */
  private CodeBlock copyIn(String lookup) {
    return copyIn(lookup, "name");
  }

  /** {@link #copyIn(String)}, converting by the layout of the parameter that the variable {@code parameter} names. */
  private CodeBlock copyIn(String lookup, String parameter) {
    String length = hasStartOffsets() ? "kerasLength(" + parameter + ", p)" : "p.length";
    return CodeBlock.builder()
        .addStatement("float[] p = $L(name)", lookup)
        .beginControlFlow("if (source.length != $L)", length)
        .addStatement("throw new $T(name + \" takes \" + $L + \" floats, not \" + source.length)", IllegalArgumentException.class, length)
        .endControlFlow()
        .add(convert("source", "p", true, parameter))
        .build();
  }

  /** {@code float[] p = lookup(name)}, then a copy of it into {@code destination}, in Keras layout. */
  private CodeBlock copyOut(String lookup) {
    return copyOut(lookup, "name");
  }

  private CodeBlock copyOut(String lookup, String parameter) {
    return CodeBlock.builder().addStatement("float[] p = $L(name)", lookup).add(convert("p", "destination", false, parameter)).build();
  }

  /**
   * Copies {@code from} into {@code to} (both of the shape of the parameter whose name is in the
   * variable {@code parameter}), converting between Keras' layout and the class's own for the
   * kernels it keeps in a layout of their own.
   */
  private CodeBlock convert(String from, String to, boolean fromKeras, String parameter) {
    CodeBlock.Builder code = CodeBlock.builder();
    boolean first = true;
    for (Map.Entry<Param, KernelLayout> e : layouts.entrySet()) {
      String test = parameter + ".equals($S)";
      if (first) code.beginControlFlow("if (" + test + ")", e.getKey().kerasName());
      else code.nextControlFlow("else if (" + test + ")", e.getKey().kerasName());
      code.add(fromKeras ? e.getValue().fromKeras(from, to) : e.getValue().toKeras(from, to));
      first = false;
    }
    if (!first) code.nextControlFlow("else");
    code.addStatement("$T.arraycopy($L, 0, $L, 0, p.length)", System.class, from, to);
    if (!first) code.endControlFlow();
    return code.build();
  }

  /**
   * The optimizer slots (named as Keras' variables, {@code dense_1/kernel/momentum} and
   * {@code .../velocity}, in Keras layout), the step count, the learning rate and the dropout
   * generator's state: with the parameters, all a checkpoint needs to go on exactly.
   */
  private void addTrainingState(TypeSpec.Builder type) {
    CodeBlock slotTensors = plan.params().stream()
        .flatMap(p -> p.stateFields().stream().map(state -> CodeBlock.of("new $T($S, new int[] {$L})", TENSOR,
            slotName(p, state), p.shape().stream().map(String::valueOf).collect(Collectors.joining(", ")))))
        .collect(CodeBlock.joining(",\n"));
    type.addField(FieldSpec.builder(ParameterizedTypeName.get(ClassName.get(List.class), TENSOR), "OPTIMIZER_SLOTS",
            Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
        .addJavadoc("The optimizer's slots, in Keras layout.\n")
        .initializer(CodeBlock.builder().add("$T.of(\n$>$>", List.class).add(slotTensors).add("$<$<)").build())
        .build());
    type.addMethod(getter("optimizerSlots", ParameterizedTypeName.get(ClassName.get(List.class), TENSOR), CodeBlock.of("OPTIMIZER_SLOTS")));
    CodeBlock parameterOfSlot = CodeBlock.of("String parameter = name.substring(0, Math.max(0, name.lastIndexOf('/')));\n");
    type.addMethod(MethodSpec.methodBuilder("readOptimizerSlot").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .addParameter(String.class, "name").addParameter(FLOATS, "destination")
        .addCode(CodeBlock.builder().addStatement("float[] p = slot(name)").add(parameterOfSlot)
            .add(convert("p", "destination", false, "parameter")).build())
        .build());
    type.addMethod(MethodSpec.methodBuilder("writeOptimizerSlot").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .addParameter(String.class, "name").addParameter(FLOATS, "source")
        .addCode(CodeBlock.builder().add(parameterOfSlot).add(copyIn("slot", "parameter")).build())
        .build());
    MethodSpec.Builder slot = MethodSpec.methodBuilder("slot").addModifiers(Modifier.PRIVATE).returns(FLOATS)
        .addParameter(String.class, "name")
        .beginControlFlow("switch (name)");
    List<String> slotNames = new ArrayList<>();
    for (Param p : plan.params()) {
      for (String state : p.stateFields()) {
        slot.addStatement("case $S: return $L", slotName(p, state), state);
        slotNames.add(slotName(p, state));
      }
    }
    type.addMethod(slot.addStatement("default: throw new $T(\"no optimizer slot '\" + name + \"'; this model has $L\")",
        IllegalArgumentException.class, slotNames).endControlFlow().build());
    type.addMethod(getter("iterations", long.class, CodeBlock.of("iterations")));
    type.addMethod(MethodSpec.methodBuilder("setIterations").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .addParameter(long.class, "iterations")
        .beginControlFlow("if (iterations < 0)")
        .addStatement("throw new $T($S + iterations)", IllegalArgumentException.class, "iterations must be 0 or more, not ")
        .endControlFlow()
        .addStatement("this.iterations = iterations").build());
    type.addMethod(getter("learningRate", float.class, CodeBlock.of("learningRate")));
    type.addMethod(MethodSpec.methodBuilder("setLearningRate").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .addParameter(float.class, "learningRate")
        .beginControlFlow("if (!(learningRate >= 0f) || Float.isInfinite(learningRate))")
        .addStatement("throw new $T($S + learningRate)", IllegalArgumentException.class, "the learning rate must be finite and 0 or more, not ")
        .endControlFlow()
        .addStatement("this.learningRate = learningRate").build());
    type.addMethod(getter("dropoutState", long[].class,
        hasDropout() ? CodeBlock.of("dropoutRandom.state()") : CodeBlock.of("new long[0]")));
    MethodSpec.Builder setDropout = MethodSpec.methodBuilder("setDropoutState").addAnnotation(Override.class)
        .addModifiers(Modifier.PUBLIC).addParameter(long[].class, "state");
    if (hasDropout()) {
      setDropout.addStatement("dropoutRandom = $T.ofState(state)", DROPOUT_RANDOM);
    } else {
      setDropout.beginControlFlow("if (state.length != 0)")
          .addStatement("throw new $T($S)", IllegalArgumentException.class, "this model has no dropout, so no dropout state")
          .endControlFlow();
    }
    type.addMethod(setDropout.build());
  }

  /** A slot's Keras name: its parameter's and the slot's kind, {@code dense_1/kernel/velocity}. */
  private static String slotName(Param p, String stateField) {
    return p.kerasName() + "/" + stateField.substring(p.field().length()).toLowerCase(Locale.ROOT);
  }

  private MethodSpec lookup(String name, java.util.function.Function<Param, String> field) {
    MethodSpec.Builder m = MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE).returns(FLOATS)
        .addParameter(String.class, "name")
        .beginControlFlow("switch (name)");
    for (Param p : plan.params()) {
      m.addStatement("case $S: return $L", p.kerasName(), field.apply(p));
    }
    m.addStatement("default: throw new $T(\"no parameter '\" + name + \"'; this model has $L\")",
        IllegalArgumentException.class, plan.params().stream().map(Param::kerasName).collect(Collectors.toList()));
    return m.endControlFlow().build();
  }

  private MethodSpec initialize() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("initialize").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .addParameter(long.class, "seed")
        .addStatement("$T random = new $T(seed)", SplittableRandom.class, SplittableRandom.class);
    if (!layouts.isEmpty()) m.addStatement("float[] keras");
    for (Param p : plan.params()) {
      if (layouts.containsKey(p)) {
        m.addComment("drawn in Keras' layout, so that a seed gives the same weights with every kind of kernels")
            .addStatement("keras = new float[$L]", p.size())
            .addStatement("$T.fill($S, keras, 0, $L, $L, $L, random)", INITIALIZERS, p.initializer(), p.size(), p.fanIn(), p.fanOut())
            .addCode(layouts.get(p).fromKeras("keras", p.field()));
      } else {
        m.addStatement("$T.fill($S, $L, 0, $L, $L, $L, random)", INITIALIZERS, p.initializer(), p.field(), p.size(), p.fanIn(), p.fanOut());
      }
      for (String state : p.stateFields()) m.addStatement("$T.fill($L, 0f)", Arrays.class, state);
    }
    if (hasDropout()) m.addStatement("dropoutRandom = $T.splitFrom(random)", DROPOUT_RANDOM);
    if (!derivedStateRefresh.isEmpty()) m.addStatement("weightsChanged()");
    return m.addStatement("iterations = 0").addStatement("learningRate = $L", optimizer.learningRate()).build();
  }

  // ---------------------------------------------------------------- steps

  private void addSteps(TypeSpec.Builder type) {
    type.addMethod(MethodSpec.methodBuilder("trainStep").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(float.class)
        .addParameter(FLOATS, "x").addParameter(FLOATS, "y").addParameter(int.class, "n")
        .addStatement("return step(loadBatch(x, y, n), y, n)")
        .build());
    if (sparseInput != null) {
      // the training step and the evaluation, each on byte samples and on packed ones, load the batch alike
      for (String[] use : new String[][] {{"trainStep", "step", ""}, {"evaluate", "evaluateLoaded", ", as the training step does"}}) {
        type.addMethod(onBytes(use[0] + "OnBytes")
            .addJavadoc("Indexes the batch's bytes directly$L; {@code x} is not used.\n", use[2])
            .addCode(targetsCheck())
            .addStatement("return $L(loadBytes(features, byteValues, samples, first, n), y, n)", use[1])
            .build());
        type.addMethod(onPackedBytes(use[0] + "OnPackedBytes")
            .addJavadoc("Copies each sample's non-zero bytes into the batch's index$L; {@code x} is used only when a zero byte does not stand for 0.\n", use[2])
            .addComment("the unlisted features are then not zero inputs: the default decodes them all")
            .beginControlFlow("if (byteValues.length == 256 && byteValues[0] != 0f)")
            .addStatement("return $T.super.$LOnPackedBytes(packed, starts, byteValues, samples, first, n, x, y)", MODEL, use[0])
            .endControlFlow()
            .addCode(targetsCheck())
            .addStatement("return $L(loadPackedBytes(packed, starts, byteValues, samples, first, n), y, n)", use[1])
            .build());
      }
      type.addMethod(loadBytes());
      type.addMethod(loadPackedBytes());
      pairsAlone().ifPresent(condition -> addPackedPairsStep(type, condition));
    }
    type.addMethod(MethodSpec.methodBuilder("step").addModifiers(Modifier.PRIVATE)
        .addJavadoc("The training step on the loaded batch of {@code n} samples, padded to {@code rows}.\n")
        .returns(float.class)
        .addParameter(int.class, "rows").addParameter(FLOATS, "y").addParameter(int.class, "n")
        .addStatement("forward(rows, true)")
        .addStatement("float loss = lossAndGradient(y, n, rows, true)")
        .addCode(fusedStep == null
            ? CodeBlock.of("backward(rows);\napplyOptimizer();\n")
            : CodeBlock.of("nextIteration();\nbackward(rows, true);\napplyOptimizer(true);\n"))
        .addStatement("return loss")
        .build());
    type.addMethod(MethodSpec.methodBuilder("computeGradients").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(float.class)
        .addParameter(FLOATS, "x").addParameter(FLOATS, "y").addParameter(int.class, "n")
        .addStatement("int rows = loadBatch(x, y, n)")
        .addStatement("forward(rows, true)")
        .addStatement("float loss = lossAndGradient(y, n, rows, true)")
        .addStatement(fusedStep == null ? "backward(rows)" : "backward(rows, false)")
        .addStatement("return loss")
        .build());
    type.addMethod(MethodSpec.methodBuilder("applyGradients").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .addCode(fusedStep == null ? CodeBlock.of("applyOptimizer();\n") : CodeBlock.of("nextIteration();\napplyOptimizer(false);\n"))
        .build());
    type.addMethod(MethodSpec.methodBuilder("evaluate").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(float.class)
        .addParameter(FLOATS, "x").addParameter(FLOATS, "y").addParameter(int.class, "n")
        .addStatement("return evaluateLoaded(loadBatch(x, y, n), y, n)")
        .build());
    type.addMethod(MethodSpec.methodBuilder("evaluateLoaded").addModifiers(Modifier.PRIVATE)
        .addJavadoc("The inference-mode loss of the loaded batch of {@code n} samples, padded to {@code rows}.\n")
        .returns(float.class)
        .addParameter(int.class, "rows").addParameter(FLOATS, "y").addParameter(int.class, "n")
        .addStatement("forward(rows, false)")
        .addStatement("return lossAndGradient(y, n, rows, false)")
        .build());
    type.addMethod(MethodSpec.methodBuilder("predict").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .addParameter(FLOATS, "x").addParameter(int.class, "n")
        .addStatement("forward(loadInput(x, n), false)")
        .build());
    type.addMethod(MethodSpec.methodBuilder("loadBatch").addModifiers(Modifier.PRIVATE).returns(int.class)
        .addParameter(FLOATS, "x").addParameter(FLOATS, "y").addParameter(int.class, "n")
        .addStatement("int rows = loadInput(x, n)")
        .addCode(targetsCheck())
        .addStatement("return rows")
        .build());
    type.addMethod(MethodSpec.methodBuilder("loadInput").addModifiers(Modifier.PRIVATE).returns(int.class)
        .addJavadoc("Copies the batch in and zeroes the padding rows; returns the rows the kernels run over.\n")
        .addParameter(FLOATS, "x").addParameter(int.class, "n")
        .addCode(batchSizeCheck())
        .beginControlFlow("if (x.length < n * INPUT_SIZE)")
        .addStatement("throw new $T(\"x holds \" + x.length + \" floats, too few for \" + n + \" samples of \" + INPUT_SIZE)", IllegalArgumentException.class)
        .endControlFlow()
        .addStatement("$T.arraycopy(x, 0, $L, 0, n * INPUT_SIZE)", System.class, plan.input().field())
        .addCode(paddedRows())
        .addStatement("$T.fill($L, n * INPUT_SIZE, rows * INPUT_SIZE, 0f)", Arrays.class, plan.input().field())
        .addCode(indexInput())
        .addStatement("return rows")
        .build());
  }

  /** A public override of {@code Model}'s method {@code name} on a batch of byte samples ({@code trainStepOnBytes}'s parameters). */
  private static MethodSpec.Builder onBytes(String name) {
    return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(float.class)
        .addParameter(byte[].class, "features").addParameter(FLOATS, "byteValues")
        .addParameter(int[].class, "samples").addParameter(int.class, "first").addParameter(int.class, "n")
        .addParameter(FLOATS, "x").addParameter(FLOATS, "y");
  }

  /** A public override of {@code Model}'s method {@code name} on a batch of packed byte samples ({@code trainStepOnPackedBytes}'s parameters). */
  private static MethodSpec.Builder onPackedBytes(String name) {
    return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(float.class)
        .addParameter(byte[].class, "packed").addParameter(int[].class, "starts").addParameter(FLOATS, "byteValues")
        .addParameter(int[].class, "samples").addParameter(int.class, "first").addParameter(int.class, "n")
        .addParameter(FLOATS, "x").addParameter(FLOATS, "y");
  }

  /**
   * Checks a batch of byte samples and indexes it, both threads each their part of the rows as
   * {@code loadInput} does; returns the rows the kernels run over.
   */
  private MethodSpec loadBytes() {
    CodeBlock.Builder code = CodeBlock.builder()
        .add(byteBatchCheck("features.length / INPUT_SIZE", "features"))
        .endControlFlow()
        .add(paddedRows());
    code.add(splitOverCallersData(List.of("features", "byteValues"), SparseInputIndex.INDEX_BYTE_ROWS));
    code.add(sparseOrDecoded("decodeBytes(features, byteValues, samples, first, n, rows)"));
    return MethodSpec.methodBuilder("loadBytes").addModifiers(Modifier.PRIVATE).returns(int.class)
        .addJavadoc("Loads samples {@code samples[first..first+n)} of {@code features} (bytes standing for {@code byteValues});\n"
            + "returns the rows the kernels run over.\n")
        .addParameter(byte[].class, "features").addParameter(FLOATS, "byteValues")
        .addParameter(int[].class, "samples").addParameter(int.class, "first").addParameter(int.class, "n")
        .addCode(code.build())
        .build();
  }

  /**
   * Fails when {@code n} samples are not a batch this class takes, {@code byteValues} not a value
   * for each byte, or a sample of the batch not among the {@code held} of {@code source}; leaves open
   * the loop over the batch's samples ({@code samples[i]}), for more checks of each.
   */
  private static CodeBlock byteBatchCheck(String held, String source) {
    return CodeBlock.builder()
        .add(batchSizeCheck())
        .beginControlFlow("if (byteValues.length != 256)")
        .addStatement("throw new $T(\"byteValues holds \" + byteValues.length + \" floats, not one for each of the 256 byte values\")",
            IllegalArgumentException.class)
        .endControlFlow()
        .addStatement("int held = $L", held)
        .beginControlFlow("for (int i = first; i < first + n; i++)")
        .beginControlFlow("if (samples[i] < 0 || samples[i] >= held)")
        .addStatement("throw new $T(\"sample \" + samples[i] + \" is not among the \" + held + \" that $L hold\")",
            IllegalArgumentException.class, source)
        .endControlFlow()
        .build();
  }

  /**
   * {@link #loadBytes} for samples held as their non-zero bytes: checks that each sample of the batch
   * has whole entries, at most one per input feature, then copies them into the index; returns the
   * rows the kernels run over.
   */
  private MethodSpec loadPackedBytes() {
    CodeBlock.Builder code = CodeBlock.builder()
        .add(byteBatchCheck("starts.length - 1", "starts"))
        .addStatement("int start = starts[samples[i]], end = starts[samples[i] + 1]")
        .beginControlFlow("if (start < 0 || start > end || end > packed.length || (end - start) % 3 != 0 || end - start > 3 * INPUT_SIZE)")
        .addStatement("throw new $T(\"sample \" + samples[i] + \": starts name bytes \" + start + \" to \" + end "
            + "+ \", not whole entries, at most one for each of \" + INPUT_SIZE + \" features, of the \" + packed.length + \" packed bytes\")",
            IllegalArgumentException.class)
        .endControlFlow()
        .endControlFlow()
        .add(paddedRows());
    code.add(splitOverCallersData(List.of("packed", "starts", "byteValues"), SparseInputIndex.COPY_PACKED_BYTES));
    code.add(sparseOrDecoded("decodePackedBytes(packed, starts, byteValues, samples, first, n, rows)"));
    return MethodSpec.methodBuilder("loadPackedBytes").addModifiers(Modifier.PRIVATE).returns(int.class)
        .addJavadoc("Loads samples {@code samples[first..first+n)} held as their non-zero bytes (entries of {@code packed} from\n"
            + "{@code starts}); returns the rows the kernels run over.\n")
        .addParameter(byte[].class, "packed").addParameter(int[].class, "starts").addParameter(FLOATS, "byteValues")
        .addParameter(int[].class, "samples").addParameter(int.class, "first").addParameter(int.class, "n")
        .addCode(code.build())
        .build();
  }

  /**
   * The condition under which the layer over the sparse input reads its pairs' column index alone
   * ({@link DenseKernels#readsPairsAlone}), or none.
   */
  private Optional<String> pairsAlone() {
    if (sparseInput == null || !sparseInput.indexesPairs()) return Optional.empty();
    return plan.layers().stream()
        .filter(l -> l instanceof LayerKernel.Dense d && dense.usesSparseInput(d))
        .findFirst()
        .flatMap(l -> dense.readsPairsAlone((LayerKernel.Dense) l));
  }

  /**
   * {@code takesPackedPairs}, true under {@code condition}, and the training step on samples held as
   * their pairs, which indexes them straight into the pairs' column index (see SparseInputIndex).
   */
  private void addPackedPairsStep(TypeSpec.Builder type, String condition) {
    type.addMethod(MethodSpec.methodBuilder("takesPackedPairs").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .returns(boolean.class)
        .addJavadoc("Yes where the input layer's kernels read the pairs' column index alone: with 16 float lanes or more.\n")
        .addStatement("return $L", condition)
        .build());
    for (String[] use : new String[][] {{"trainStep", "step", ""}, {"evaluate", "evaluateLoaded", ", as the training step does"}}) {
      type.addMethod(MethodSpec.methodBuilder(use[0] + "OnPackedPairs").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
          .returns(float.class)
          .addJavadoc("Scatters each sample's pairs into the batch's pairs' column index$L; {@code x} is used only when the\n"
              + "kernels read the row index too, or a zero byte does not stand for 0.\n", use[2])
          .addParameter(int[].class, "entries").addParameter(int[].class, "starts").addParameter(FLOATS, "byteValues")
          .addParameter(int[].class, "samples").addParameter(int.class, "first").addParameter(int.class, "n")
          .addParameter(FLOATS, "x").addParameter(FLOATS, "y")
          .addComment("the default decodes them all")
          .beginControlFlow("if (!takesPackedPairs() || byteValues.length == 256 && byteValues[0] != 0f)")
          .addStatement("return $T.super.$LOnPackedPairs(entries, starts, byteValues, samples, first, n, x, y)", MODEL, use[0])
          .endControlFlow()
          .addCode(targetsCheck())
          .addStatement("return $L(loadPackedPairs(entries, starts, byteValues, samples, first, n), y, n)", use[1])
          .build());
    }
    CodeBlock.Builder code = CodeBlock.builder()
        .add(byteBatchCheck("starts.length - 1", "starts"))
        .addStatement("int start = starts[samples[i]], end = starts[samples[i] + 1]")
        .beginControlFlow("if (start < 0 || start > end || end > entries.length || end - start > (INPUT_SIZE + 1) / 2)")
        .addStatement("throw new $T(\"sample \" + samples[i] + \": starts name entries \" + start + \" to \" + end "
            + "+ \", at most one for each of \" + (INPUT_SIZE + 1) / 2 + \" pairs of features, of the \" + entries.length + \" entries\")",
            IllegalArgumentException.class)
        .endControlFlow()
        .endControlFlow()
        .add(paddedRows());
    code.add(splitOverCallersData(List.of("entries", "starts", "byteValues"), SparseInputIndex.INDEX_PACKED_PAIRS));
    code.add(sparseInput.decidePackedPairs("decodePackedPairs(entries, starts, byteValues, samples, first, n, rows)"))
        .addStatement("return rows");
    type.addMethod(MethodSpec.methodBuilder("loadPackedPairs").addModifiers(Modifier.PRIVATE).returns(int.class)
        .addJavadoc("Loads samples {@code samples[first..first+n)} held as their pairs of features (entries of {@code entries} from\n"
            + "{@code starts}); returns the rows the kernels run over.\n")
        .addParameter(int[].class, "entries").addParameter(int[].class, "starts").addParameter(FLOATS, "byteValues")
        .addParameter(int[].class, "samples").addParameter(int.class, "first").addParameter(int.class, "n")
        .addCode(code.build())
        .build());
  }

  /**
   * {@link #split} of the index builder {@code method} over the caller's batch (the worker's task
   * {@code <method>Part1}), called as
   * {@code method(arrays..., samples, first, n, rows, part, parts)}: with threads, the batch's arrays
   * {@code arrays} (each in the worker's field {@code step} + its name capitalized) and {@code samples},
   * {@code first}, {@code n} and {@code rows} are handed to the worker's part through fields, cleared afterwards.
   */
  private CodeBlock splitOverCallersData(List<String> arrays, String method) {
    String task = method + "Part1";
    PartCall call = (onWorker, part, parts) -> {
      List<String> args = new ArrayList<>();
      for (String array : arrays) args.add(onWorker ? stepField(array) : array);
      args.addAll(onWorker ? List.of("stepSamples", "stepFirst", "stepCount", "stepRows") : List.of("samples", "first", "n", "rows"));
      return method + "(" + String.join(", ", args) + ", " + part + ", " + parts + ")";
    };
    if (!threads) return split(task, call);
    CodeBlock.Builder code = CodeBlock.builder().addStatement("stepRows = rows");
    for (String array : arrays) code.addStatement("$L = $L", stepField(array), array);
    code.addStatement("stepSamples = samples").addStatement("stepFirst = first").addStatement("stepCount = n")
        .add(split(task, call))
        .add("// the model keeps no reference to the caller's data\n");
    for (String array : arrays) code.addStatement("$L = null", stepField(array));
    return code.addStatement("stepSamples = null").build();
  }

  /** The worker's field for the caller's {@code name}: {@code stepFeatures} for {@code features}. */
  private static String stepField(String name) {
    return prefixed("step", name);
  }

  /** {@code name} after {@code prefix}, in camel case: {@code stepFeatures} for {@code step} and {@code features}. */
  private static String prefixed(String prefix, String name) {
    return prefix + Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  /** Decides whether the indexed batch is sparse, runs {@code decode} when it is not, and returns its rows. */
  private CodeBlock sparseOrDecoded(String decode) {
    return CodeBlock.builder()
        .add(sparseInput.decideCall(threads))
        .beginControlFlow("if (!$L)", SparseInputIndex.SPARSE)
        .addStatement(decode)
        .endControlFlow()
        .addStatement("return rows")
        .build();
  }

    /** Fails when {@code n} samples are not a batch this class takes. */
  private static CodeBlock batchSizeCheck() {
    return CodeBlock.builder()
        .beginControlFlow("if (n < 1 || n > MAX_BATCH)")
        .addStatement("throw new $T(\"a batch of \" + n + \" samples; this model takes 1 to \" + MAX_BATCH)", IllegalArgumentException.class)
        .endControlFlow()
        .build();
  }

  /** {@code int rows}: the batch's {@code n} samples rounded up to the kernels' block of rows. */
  private static CodeBlock paddedRows() {
    return CodeBlock.of("int rows = (n + $L) / $L * $L;\n", KernelPlan.ROW_BLOCK - 1, KernelPlan.ROW_BLOCK, KernelPlan.ROW_BLOCK);
  }

  /** Fails when {@code y} holds too few targets for {@code n} samples, or targets the loss cannot take. */
  private CodeBlock targetsCheck() {
    return CodeBlock.builder()
        .beginControlFlow("if (y.length < n * $L)", model.loss().kind() == dev.nnc.compiler.model.LossSpec.Kind.SPARSE_CATEGORICAL_CROSSENTROPY ? 1 : model.outputSize())
        .addStatement("throw new $T(\"y holds \" + y.length + \" floats, too few for \" + n + \" samples\")", IllegalArgumentException.class)
        .endControlFlow()
        .add(loss.targetsCheck())
        .build();
  }

  /** Indexes the batch's non-zero inputs, when a layer's kernels run over them. */
  private CodeBlock indexInput() {
    if (sparseInput == null) return CodeBlock.of("");
    CodeBlock.Builder code = CodeBlock.builder();
    if (threads) code.addStatement("stepRows = rows");
    return code.add(split("indexInputRowsPart1", (onWorker, part, parts) ->
            SparseInputIndex.indexRowsCall(onWorker ? "stepRows" : "rows", part, parts)))
        .add(sparseInput.decideCall(threads))
        .build();
  }

  private MethodSpec forward() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("forward").addModifiers(Modifier.PRIVATE)
        .addParameter(int.class, "rows").addParameter(boolean.class, "training");
    if (sparseInput != null && sparseInput.indexesPairs()) {
      // The forward pass reads the pairs' column index as the weight gradient does: built first, each thread
      // its share of the pairs (the worker used to build it alone while the thread ran the layers above).
      m.addComment("the batch's column index of pairs of input features, unless its samples' pairs built it")
          .beginControlFlow("if ($L)", SparseInputIndex.pairsFromRowsCondition())
          .addCode(split("indexInputPairsPart1", (onWorker, part, parts) ->
              SparseInputIndex.indexPairsCall(onWorker ? "stepRows" : "rows", part, parts)))
          .endControlFlow();
    }
    for (LayerKernel layer : plan.layers()) passes(layer).forward(m);
    LossKernel l = plan.loss();
    if (l.appliesActivation()) {
      ActivationCode act = new ActivationCode(l.kind() == dev.nnc.compiler.model.LossSpec.Kind.BINARY_CROSSENTROPY
          ? dev.nnc.compiler.model.Activation.SIGMOID : dev.nnc.compiler.model.Activation.SOFTMAX);
      m.addComment("the loss reads logits: probabilities = $L(logits)   $L:$L", act.activation().kerasName(), source, l.line());
      kernels.add(ElementwiseKernels.activationForward("outputActivation", act, l.outputs()));
      m.addStatement("outputActivation($L, $L, rows)", l.logits().field(), l.probabilities().field());
    }
    return m.build();
  }

  private MethodSpec dropoutForward(String name, double rate, int width) {
    return MethodSpec.methodBuilder(name).addModifiers(Modifier.PRIVATE)
        .addParameter(FLOATS, "x").addParameter(FLOATS, "mask").addParameter(FLOATS, "h").addParameter(int.class, "rows")
        .beginControlFlow("for (int i = 0; i < rows * $L; i++)", width)
        .addStatement("float m = dropoutRandom.nextDouble() < $L ? 0f : $L", rate, Literals.f(1 / (1 - rate)))
        .addStatement("mask[i] = m")
        .addStatement("h[i] = x[i] * m")
        .endControlFlow()
        .build();
  }

  private MethodSpec backward() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("backward").addModifiers(Modifier.PRIVATE)
        .addParameter(int.class, "rows");
    if (fusedStep != null) {
      m.addJavadoc("With {@code update}, the kernels that can also take their optimizer step (see applyOptimizer).\n")
          .addParameter(boolean.class, "update");
      if (threads) m.addStatement("stepUpdate = update");
    }
    for (int i = plan.layers().size() - 1; i >= 0; i--) passes(plan.layers().get(i)).backward(m);
    return m.build();
  }

  // ---------------------------------------------------------------- layers

  /** The code one layer adds to the forward and to the backward method. */
  private abstract static class LayerPasses {
    /** The Java stem of the layer's kernels ({@code dense1}). */
    final String stem;
    /** Floats per sample of the layer's output. */
    final int width;

    LayerPasses(LayerKernel layer) {
      this.stem = stem(layer);
      this.width = Shapes.size(layer.layer().outputShape());
    }

    abstract void forward(MethodSpec.Builder m);

    abstract void backward(MethodSpec.Builder m);
  }

  /** Each kind of layer's passes, chosen exhaustively. */
  private LayerPasses passes(LayerKernel layer) {
    return layer.accept(new LayerKernel.Visitor<LayerPasses>() {
      @Override
      public LayerPasses dense(LayerKernel.Dense d) {
        return new DensePasses(d);
      }

      @Override
      public LayerPasses activation(LayerKernel.Activation a) {
        return new ActivationPasses(a);
      }

      @Override
      public LayerPasses dropout(LayerKernel.Dropout d) {
        return new DropoutPasses(d);
      }
    });
  }

  /** {@code h = act(x·W + b)}; backward: the activation's derivative, then dW, db and dX. */
  private final class DensePasses extends LayerPasses {
    private final LayerKernel.Dense d;

    DensePasses(LayerKernel.Dense d) {
      super(d);
      this.d = d;
    }

    @Override
    void forward(MethodSpec.Builder m) {
      ActivationCode act = new ActivationCode(d.layer().activation());
      m.addComment("$L: h = $L(x*W$L)   $L:$L", d.layer().name(), act.activation().kerasName(),
          d.bias() == null ? "" : " + b", source, d.layer().line());
      String name = stem + "Forward";
      kernels.addAll(dense.forward(d, name, act));
      if (dense.usesSparseInput(d)) {
        String sparse = stem + "SparseForward";
        kernels.addAll(dense.sparseForward(d, sparse, act));
        List<String> args = new ArrayList<>(List.of(sparseInput.rowArguments(), d.kernel().field()));
        if (d.bias() != null) args.add(d.bias().field());
        args.add(d.output().field());
        args.addAll(dense.sparseForwardExtraArguments(d, stem));
        String fixed = String.join(", ", args);
        PartCall call = rowsAndParts(sparse, fixed);
        m.beginControlFlow("if ($L)", SparseInputIndex.SPARSE)
            .addCode(dense.splits(d) ? split(stem + "SparseForwardPart1", call) : CodeBlock.of("$L;\n", call.call(false, "0", "1")))
            .nextControlFlow("else")
            .addCode(denseForward(name))
            .endControlFlow();
      } else {
        m.addCode(denseForward(name));
      }
    }

    /** The call of the dense forward kernel {@code name}, split into halves of the batch where the kernels take row ranges. */
    private CodeBlock denseForward(String name) {
      if (!dense.forwardSplitsRows()) return dense.forwardCall(d, stem, name);
      String fixed = dense.forwardArguments(d);
      CodeBlock call = split(name + "Part1", (onWorker, part, parts) -> name + "(" + fixed + ", " + rowRange(onWorker ? "stepRows" : "rows", part, parts)
          + dense.forwardScratchArguments(d, stem, onWorker) + ")");
      return threads ? CodeBlock.builder().add("// with the worker, each thread takes half of the rows\n").add(call).build() : call;
    }

    @Override
    void backward(MethodSpec.Builder m) {
      LossKernel l = plan.loss();
      ActivationCode act = new ActivationCode(d.layer().activation());
      String line = source + ":" + d.layer().line();
      if (d.activationInLoss()) {
        m.addComment("$L: dZ = (p - y) / n, the loss's gradient through $L   $L", d.layer().name(),
            l.appliesActivation() ? "the activation it applies" : act.activation().kerasName(), line);
      } else if (d == columnSplitBelow) {
        m.addComment("$L: dZ = dH * $L'(z)$L, by the layer above's backward pass   $L", d.layer().name(), act.activation().kerasName(),
            d.bias() == null ? "" : " and db = sum(dZ)", line);
      } else if (act.activation() != dev.nnc.compiler.model.Activation.LINEAR) {
        m.addComment("$L: dZ = dH * $L'(z)   $L", d.layer().name(), act.activation().kerasName(), line);
        String name = stem + "ActivationBackward";
        kernels.add(dense.activationBackward(name, act, width));
        m.addStatement("$L($L, $L, $L, rows)", name, d.output().field(), d.outputGradient().field(), d.outputGradient().field());
      }
      m.addComment("$L: $LdW = x^T * dZ$L", d.layer().name(), d.bias() == null || d == columnSplitBelow ? "" : "db = sum(dZ), ",
          d.inputGradient() == null ? "" : ", dX = dZ * W^T");
      if (d.bias() != null && d != columnSplitBelow) {
        kernels.add(dense.biasGradient(d, stem + "BiasGradient"));
        m.addStatement("$L($L, $L, rows)", stem + "BiasGradient", d.outputGradient().field(), d.bias().gradientField());
      }
      if (d == columnSplitAbove) {
        // Each thread the columns of the layer below that it computed in the forward pass: the split step's other
        // passes over that layer's outputs, here all on one thread but this layer's weight gradient, took the
        // MNIST example's steps 1-5% longer (a copy of the class, two classes alternating in one JVM).
        LayerKernel.Dense below = columnSplitBelow;
        String name = columnBackward.name();
        kernels.add(columnBackward);
        List<String> args = new ArrayList<>(List.of(d.input().field(), d.outputGradient().field(), d.kernel().field(),
            d.kernel().gradientField(), d.inputGradient().field()));
        if (below.bias() != null) args.add(below.bias().gradientField());
        m.addComment("and $L's dZ = dX * $L'(z)$L, by $L's column panels", below.layer().name(),
                below.layer().activation().kerasName(), below.bias() == null ? "" : ", db = sum(dZ)", below.layer().name())
            .addCode(split(name + "Part1", rowsAndParts(name, String.join(", ", args))));
        return;
      }
      kernels.addAll(dense.kernelGradient(d, stem + "KernelGradient"));
      if (dense.usesSparseInput(d)) {
        kernels.addAll(dense.sparseKernelGradient(d, stem + "SparseKernelGradient", optimizer));
        PartCall call = (onWorker, part, parts) -> dense.sparseKernelGradientCall(d, stem, stem + "SparseKernelGradient",
            stepArguments(d, onWorker)) + part + ", " + parts + ")";
        m.beginControlFlow("if ($L)", SparseInputIndex.SPARSE);
        if (sparseInput.indexesPairs()) {
          m.addComment("over the pairs' column index, built before the forward pass")
              .addCode(split(stem + "SparseKernelGradientPart1", call));
        } else {
          m.addStatement("$L", SparseInputIndex.indexColumnsCall("rows"))
              .addStatement("$L", call.call(false, "0", "1"));
        }
        m.nextControlFlow("else");
      }
      String[] kernelGradient = {d.input().field(), d.outputGradient().field(), d.kernel().gradientField()};
      String[] inputGradient = d.inputGradient() == null ? null
          : new String[] {d.outputGradient().field(), d.kernel().field(), d.inputGradient().field()};
      if (inputGradient != null) kernels.add(dense.inputGradient(d, stem + "InputGradient"));
      if (threads && !dense.usesSparseInput(d) && !splitsBackward() && inputGradient != null) {
        // A layer too small to split its products (the output layer): its weight gradient on the worker while
        // this thread takes its input gradient, which the layer below waits for (on the MNIST example, 7 and
        // 12 µs on one thread).
        String task = stem + "KernelGradientTask";
        workerTasks.add(new TaskField(task, stem + "KernelGradient(" + String.join(", ", kernelGradient) + ", stepRows)"));
        m.beginControlFlow("if (worker != null)")
            .addStatement("worker.fork($L)", task)
            .addStatement("$L($L, rows)", stem + "InputGradient", String.join(", ", inputGradient))
            .addStatement("worker.join()")
            .nextControlFlow("else")
            .addStatement("$L($L, rows)", stem + "KernelGradient", String.join(", ", kernelGradient))
            .addStatement("$L($L, rows)", stem + "InputGradient", String.join(", ", inputGradient))
            .endControlFlow();
        return;
      }
      m.addCode(backwardCall(stem + "KernelGradient", kernelGradient));
      if (dense.usesSparseInput(d)) m.endControlFlow();
      if (inputGradient != null) m.addCode(backwardCall(stem + "InputGradient", inputGradient));
    }

    /** The call of backward kernel {@code name(args, rows)}, or of its parts where this layer {@linkplain #splitsBackward splits}. */
    private CodeBlock backwardCall(String name, String... args) {
      String fixed = String.join(", ", args);
      return splitsBackward() ? split(name + "Part1", rowsAndParts(name, fixed)) : CodeBlock.of("$L($L, rows);\n", name, fixed);
    }

    /** Whether this layer's weight and input gradients take parts, which a class with a worker shares between the threads. */
    private boolean splitsBackward() {
      return dense.backwardSplits(d);
    }
  }

  /**
   * What a sparse weight-gradient kernel that fuses the optimizer step takes besides the gradient:
   * the weights, the slots, the step size and whether to step (none for one that does not).
   */
  private List<String> stepArguments(LayerKernel.Dense d, boolean onWorker) {
    if (!dense.fusesOptimizerStep(d)) return List.of();
    List<String> args = new ArrayList<>();
    args.add(d.kernel().field());
    args.addAll(optimizer.stepArguments(d.kernel(), "stepAlpha"));
    args.add(onWorker ? "stepUpdate" : "update");
    return args;
  }

  /** An activation as its own layer; backward: its derivative, unless the loss's fused gradient stands in for it. */
  private final class ActivationPasses extends LayerPasses {
    private final LayerKernel.Activation a;

    ActivationPasses(LayerKernel.Activation a) {
      super(a);
      this.a = a;
    }

    @Override
    void forward(MethodSpec.Builder m) {
      ActivationCode act = new ActivationCode(a.layer().activation());
      m.addComment("$L: h = $L(x)   $L:$L", a.layer().name(), act.activation().kerasName(), source, a.layer().line());
      String name = stem + "Forward";
      kernels.add(ElementwiseKernels.activationForward(name, act, width));
      m.addStatement("$L($L, $L, rows)", name, a.input().field(), a.output().field());
    }

    @Override
    void backward(MethodSpec.Builder m) {
      if (a.activationInLoss() || a.inputGradient() == null) return;
      ActivationCode act = new ActivationCode(a.layer().activation());
      m.addComment("$L: dX = dH * $L'   $L:$L", a.layer().name(), act.activation().kerasName(), source, a.layer().line());
      String name = stem + "Backward";
      kernels.add(dense.activationBackward(name, act, width));
      m.addStatement("$L($L, $L, $L, rows)", name, a.output().field(), a.outputGradient().field(), a.inputGradient().field());
    }
  }

  /** Inverted dropout: a fresh mask per training step; backward: the same mask. */
  private final class DropoutPasses extends LayerPasses {
    private final LayerKernel.Dropout d;

    DropoutPasses(LayerKernel.Dropout d) {
      super(d);
      this.d = d;
    }

    @Override
    void forward(MethodSpec.Builder m) {
      double rate = d.layer().rate();
      m.addComment("$L: h = x * mask, mask 0 with probability $L, else 1/(1 - $L); identity in inference   $L:$L",
          d.layer().name(), rate, rate, source, d.layer().line());
      String name = stem + "Forward";
      kernels.add(dropoutForward(name, rate, width));
      m.beginControlFlow("if (training)")
          .addStatement("$L($L, $L, $L, rows)", name, d.input().field(), d.mask().field(), d.output().field())
          .nextControlFlow("else")
          .addStatement("$T.arraycopy($L, 0, $L, 0, rows * $L)", System.class, d.input().field(), d.output().field(), width)
          .endControlFlow();
    }

    @Override
    void backward(MethodSpec.Builder m) {
      if (d.inputGradient() == null) return;
      m.addComment("$L: dX = dH * mask   $L:$L", d.layer().name(), source, d.layer().line());
      String name = stem + "Backward";
      kernels.add(ElementwiseKernels.dropoutBackward(name, width));
      m.addStatement("$L($L, $L, $L, rows)", name, d.outputGradient().field(), d.mask().field(), d.inputGradient().field());
    }
  }

  /**
   * The optimizer step over every tensor. In a class with a {@link #fusedStep}, the step count
   * and size move to {@code nextIteration()}, which runs before the backward pass, and the step
   * skips the kernel whose sparse weight-gradient pass took it ({@code kernelUpdated}).
   */
  private MethodSpec applyOptimizer() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("applyOptimizer").addModifiers(Modifier.PRIVATE)
        .addComment("$L   $L:$L", optimizer.describe(), source, model.optimizer().line());
    boolean stepSize = !plan.params().isEmpty();
    if (fusedStep != null) {
      m.addParameter(boolean.class, "kernelUpdated");
      if (stepSize) m.addStatement("float alpha = stepAlpha");
    } else {
      m.addStatement("iterations++");
      if (stepSize) m.addCode(optimizer.stepSize());
    }
    if (!plan.params().isEmpty()) kernels.add(optimizer.update(plan.params().get(0)));
    String name = OptimizerKernels.STEP;
    for (Param p : plan.params()) {
      List<String> args = new ArrayList<>(List.of(p.field(), p.gradientField()));
      args.addAll(p.stateFields());
      String from = start(p);
      String to = KernelLayout.plus(from, p.size());
      if (p == fusedStep) {
        m.addComment("the training step's sparse weight-gradient pass took this step itself")
            .beginControlFlow("if (!(kernelUpdated && $L))", SparseInputIndex.SPARSE);
      }
      if (splitParams.contains(p)) {
        // Split at multiples of 64 elements, so that every part but the last runs in whole vectors.
        if (fusedStep == null) m.addStatement("stepAlpha = alpha");
        String fixed = String.join(", ", args);
        int half = p.size() / 64 / 2 * 64;
        String middle = KernelLayout.plus(from, half);
        m.addCode(split(prefixed("update", p.field()) + "Part1", (onWorker, part, parts) -> name + "(" + fixed
            + (onWorker ? ", stepAlpha" : ", alpha")
            + (parts.equals("1") ? ", " + from + ", " + to : part.equals("0") ? ", " + from + ", " + middle : ", " + middle + ", " + to) + ")"));
      } else {
        args.add("alpha");
        m.addStatement("$L($L, $L, $L)", name, String.join(", ", args), from, to);
      }
      if (p == fusedStep) m.endControlFlow();
    }
    if (!derivedStateRefresh.isEmpty()) m.addStatement("weightsChanged()");
    return m.build();
  }

  /** The step count, and the step size the kernels read from {@code stepAlpha}: before a fused backward pass. */
  private MethodSpec nextIteration() {
    MethodSpec.Builder m = MethodSpec.methodBuilder("nextIteration").addModifiers(Modifier.PRIVATE)
        .addStatement("iterations++");
    if (!plan.params().isEmpty()) m.addCode(optimizer.stepSize()).addStatement("stepAlpha = alpha");
    return m.build();
  }

  // ---------------------------------------------------------------- threads

  /**
   * The rows {@code [from, to)} part {@code part} of {@code parts} takes of the batch's {@code rows}: the first
   * or second half, in whole blocks of 4 rows, or all.
   */
  private static String rowRange(String rows, String part, String parts) {
    if (parts.equals("1")) return "0, " + rows;
    String middle = rows + " / " + (2 * ScalarDenseKernels.B) + " * " + ScalarDenseKernels.B;
    return part.equals("0") ? "0, " + middle : middle + ", " + rows;
  }

  /** {@code name(args, rows, part, parts)}: a kernel over the batch's rows that does one part of its work. */
  private static PartCall rowsAndParts(String name, String args) {
    return (onWorker, part, parts) -> name + "(" + args + ", " + (onWorker ? "stepRows" : "rows") + ", " + part + ", " + parts + ")";
  }

  /** A call of one part of a split kernel: on the worker thread, its arguments come from fields. */
  @FunctionalInterface
  private interface PartCall {
    String call(boolean onWorker, String part, String parts);
  }

  /**
   * Statements running a split kernel: with a worker, part 1 of 2 on it (through a task field named
   * {@code task}) while the caller does part 0; else the whole as part 0 of 1.
   */
  private CodeBlock split(String task, PartCall call) {
    if (!threads) return CodeBlock.of("$L;\n", call.call(false, "0", "1"));
    workerTasks.add(new TaskField(task, call.call(true, "1", "2")));
    return CodeBlock.builder()
        .beginControlFlow("if (worker != null)")
        .addStatement("worker.fork($L)", task)
        .addStatement("$L", call.call(false, "0", "2"))
        .addStatement("worker.join()")
        .nextControlFlow("else")
        .addStatement("$L", call.call(false, "0", "1"))
        .endControlFlow()
        .build();
  }

  private void addWorker(TypeSpec.Builder type) {
    type.addField(FieldSpec.builder(WORKER, "worker", Modifier.PRIVATE)
        .addJavadoc("The second thread of a split step, or null for one thread.\n").build());
    type.addField(FieldSpec.builder(int.class, "stepRows", Modifier.PRIVATE)
        .addJavadoc("The current batch's rows, for the worker's tasks.\n").build());
    type.addField(FieldSpec.builder(float.class, "stepAlpha", Modifier.PRIVATE)
        .addJavadoc("The current step's size, for the worker's tasks.\n").build());
    // the batch of byte samples, for the worker's part of its index (threads imply the index)
    type.addField(FieldSpec.builder(byte[].class, "stepFeatures", Modifier.PRIVATE)
        .addJavadoc("The byte samples being indexed, for the worker's part (null between batches).\n").build());
    type.addField(FieldSpec.builder(FLOATS, "stepByteValues", Modifier.PRIVATE)
        .addJavadoc("What each of their bytes stands for, for the worker's part.\n").build());
    type.addField(FieldSpec.builder(int[].class, "stepSamples", Modifier.PRIVATE)
        .addJavadoc("Which samples the batch takes, for the worker's part.\n").build());
    type.addField(FieldSpec.builder(int.class, "stepFirst", Modifier.PRIVATE)
        .addJavadoc("Where the batch starts in them, for the worker's part.\n").build());
    type.addField(FieldSpec.builder(int.class, "stepCount", Modifier.PRIVATE)
        .addJavadoc("The batch's samples, for the worker's part.\n").build());
    type.addField(FieldSpec.builder(byte[].class, "stepPacked", Modifier.PRIVATE)
        .addJavadoc("The packed byte samples being indexed, for the worker's part (null between batches).\n").build());
    type.addField(FieldSpec.builder(int[].class, "stepStarts", Modifier.PRIVATE)
        .addJavadoc("Where each of them starts, for the worker's part.\n").build());
    if (pairsAlone().isPresent()) {
      type.addField(FieldSpec.builder(int[].class, "stepEntries", Modifier.PRIVATE)
          .addJavadoc("The samples' pairs being indexed, for the worker's part (null between batches).\n").build());
    }
    if (fusedStep != null) {
      type.addField(FieldSpec.builder(boolean.class, "stepUpdate", Modifier.PRIVATE)
          .addJavadoc("Whether the current backward pass takes the fused optimizer step, for the worker's tasks.\n").build());
    }
    addWorkerTasks(type);
    type.addMethod(MethodSpec.methodBuilder("useThreads").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .addJavadoc("1, or 2: the kernels over the input then split their column panels with a worker thread.\n")
        .addParameter(int.class, "threads")
        .beginControlFlow("if (threads < 1)")
        .addStatement("throw new $T($S + threads)", IllegalArgumentException.class, "threads must be at least 1, not ")
        .endControlFlow()
        .beginControlFlow("if (threads == 1 && worker != null)")
        .addStatement("worker.close()")
        .addStatement("worker = null")
        .nextControlFlow("else if (threads > 1 && worker == null)")
        .addStatement("worker = new $T($S)", WORKER, model.name() + " model worker")
        .endControlFlow()
        .build());
  }

  /**
   * The worker's tasks: a field each, all instances of one inner class that runs the task its number
   * names. (As lambdas, one class each, made by the JDK's lambda factory when an instance is made: the
   * MNIST example's 11 took about 10 ms of the interpreter before the JIT warm-up's first step.)
   */
  private void addWorkerTasks(TypeSpec.Builder type) {
    if (workerTasks.isEmpty()) return;
    MethodSpec.Builder run = MethodSpec.methodBuilder("run").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
        .beginControlFlow("switch (task)");
    for (int i = 0; i < workerTasks.size(); i++) {
      TaskField task = workerTasks.get(i);
      type.addField(FieldSpec.builder(Runnable.class, task.field(), Modifier.PRIVATE, Modifier.FINAL)
          .initializer("new WorkerTask($L)", i).build());
      run.addStatement("case $L -> $L", i, task.call());
    }
    run.addStatement("default -> throw new $T($S + task)", IllegalStateException.class, "no worker task ").endControlFlow();
    type.addType(TypeSpec.classBuilder("WorkerTask").addModifiers(Modifier.PRIVATE, Modifier.FINAL)
        .addSuperinterface(Runnable.class)
        .addJavadoc("The worker thread's part of a split kernel, by its number among the task fields.\n")
        .addField(int.class, "task", Modifier.PRIVATE, Modifier.FINAL)
        .addMethod(MethodSpec.constructorBuilder().addParameter(int.class, "task").addStatement("this.task = task").build())
        .addMethod(run.build())
        .build());
  }

  /** The Java stem of a layer's kernels: {@code dense_1} becomes {@code dense1}. */
  private static String stem(LayerKernel layer) {
    return Planner.javaName(layer.layer().name());
  }
}
