package dev.nnc.compiler;

import dev.nnc.compiler.check.CheckResult;
import dev.nnc.compiler.check.ModelChecker;
import dev.nnc.compiler.diag.Diagnostic;
import dev.nnc.compiler.diag.DiagnosticIds;
import dev.nnc.compiler.diag.SourceFile;
import dev.nnc.compiler.model.CheckedModel;
import dev.nnc.compiler.model.LayerSpec;
import dev.nnc.compiler.model.Shapes;
import dev.nnc.compiler.emit.ModelEmitter;
import dev.nnc.compiler.emit.PredictorEmitter;
import dev.nnc.compiler.parse.ModelParser;
import dev.nnc.compiler.parse.ParseResult;
import dev.nnc.compiler.plan.KernelPlan;
import dev.nnc.compiler.plan.Param;
import dev.nnc.compiler.plan.Planner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The one entry point the CLI and the Maven plugin use: parse → check → plan → emit.
 * Never throws on bad input; every problem comes back as a diagnostic.
 */
public final class NncCompiler {
  private NncCompiler() {}

  /** Parses and checks; no code is generated. */
  public static Compilation check(SourceFile source) {
    CheckResult checked = analyze(source);
    if (checked.model().isEmpty()) return new Compilation(source, checked.diagnostics(), Optional.empty(), Optional.empty());
    // The same size limits as compile with the source's own batch, so that what checks also compiles.
    Optional<Diagnostic> tooLarge = workspaceTooLarge(checked.model().get(), checked.model().get().train().batch(), source);
    if (tooLarge.isPresent()) {
      List<Diagnostic> all = new ArrayList<>(checked.diagnostics());
      all.add(tooLarge.get());
      return new Compilation(source, all, Optional.empty(), Optional.empty());
    }
    return new Compilation(source, checked.diagnostics(), checked.model(), Optional.empty());
  }

  /** Parses, checks and, if there are no errors, generates the model class. */
  public static Compilation compile(SourceFile source, CompileOptions options) {
    Compilation checked = checkFor(source, options);
    if (checked.model().isEmpty()) return checked;
    GeneratedSource generated = emit(checked.model().get(), options);
    return new Compilation(source, checked.diagnostics(), checked.model(), Optional.of(generated));
  }

  /**
   * What {@link #compile} does short of generating the class: parses, checks, and applies the size
   * limits at the batch of {@code options}. A model it returns, given to {@link #emit} with the same
   * options, compiles; callers that already hold the class compiled from the same source and
   * options skip the emit.
   */
  public static Compilation checkFor(SourceFile source, CompileOptions options) {
    CheckResult checked = analyze(source);
    if (checked.model().isEmpty()) {
      return new Compilation(source, checked.diagnostics(), Optional.empty(), Optional.empty());
    }
    CheckedModel model = checked.model().get();
    int batch = options.batchSize().orElse(model.train().batch());
    Optional<Diagnostic> tooLarge = workspaceTooLarge(model, batch, source);
    if (tooLarge.isPresent()) {
      List<Diagnostic> all = new ArrayList<>(checked.diagnostics());
      all.add(tooLarge.get());
      return new Compilation(source, all, Optional.empty(), Optional.empty());
    }
    return new Compilation(source, checked.diagnostics(), checked.model(), Optional.empty());
  }

  /** The model class of a model that {@link #checkFor} accepted with these {@code options}. */
  public static GeneratedSource emit(CheckedModel model, CompileOptions options) {
    KernelPlan plan = Planner.plan(model, options.batchSize());
    return ModelEmitter.emit(plan, options.packageName(), options.kernels());
  }

  /** The shapes of a checked model's trainable tensors by Keras name, in order: what its weights file holds. */
  public static Map<String, int[]> parameterShapes(CheckedModel model) {
    Map<String, int[]> shapes = new LinkedHashMap<>();
    for (Param p : Planner.plan(model, OptionalInt.of(1)).params()) {
      shapes.put(p.kerasName(), p.shape().stream().mapToInt(Integer::intValue).toArray());
    }
    return shapes;
  }

  /**
   * The standalone predictor of a checked model with its trained {@code weights} (each of
   * {@link #parameterShapes} by Keras name, in Keras layout): {@code <Name>Predictor} in
   * {@code options.packageName()}, and its weights resource. With {@link Kernels#VECTOR} (the
   * predictor's default) it also carries Vector API kernels, used where the JVM has the module.
   *
   * @throws IllegalArgumentException if {@code weights} lacks a tensor or has one of the wrong size
   */
  public static GeneratedPredictor predictor(CheckedModel model, CompileOptions options, Map<String, float[]> weights) {
    KernelPlan plan = Planner.plan(model, OptionalInt.of(1));
    return PredictorEmitter.emit(plan, options.packageName(), options.kernels(), weights);
  }

  /**
   * Workspaces hold a whole batch of each layer's output in one array; the batch can come from
   * the caller, so this is checked here rather than in the check stage.
   */
  private static Optional<Diagnostic> workspaceTooLarge(CheckedModel model, int batch, SourceFile source) {
    long rows = (batch + (long) KernelPlan.ROW_BLOCK - 1) / KernelPlan.ROW_BLOCK * KernelPlan.ROW_BLOCK;
    int line = 1;
    String what = "input";
    long widest = model.inputSize();
    for (LayerSpec layer : model.layers()) {
      long width = Shapes.size(layer.outputShape());
      if (width > widest) {
        widest = width;
        line = layer.line();
        what = layer.name() + "'s";
      }
    }
    if (rows * widest <= Shapes.MAX_ARRAY_LENGTH) return Optional.empty();
    return Optional.of(Diagnostic.error(source, line, 1, DiagnosticIds.SIZE_TOO_LARGE,
        "a batch of " + batch + " samples of " + what + " " + widest + " values needs " + rows * widest
            + " floats, more than a Java array can hold (" + Shapes.MAX_ARRAY_LENGTH + "); use a smaller batch"));
  }

  private static CheckResult analyze(SourceFile source) {
    ParseResult parsed = ModelParser.parse(source);
    return ModelChecker.check(parsed, source);
  }
}
