package dev.nnc.cli;

import dev.nnc.compiler.Compilation;
import dev.nnc.compiler.CompileOptions;
import dev.nnc.compiler.GeneratedSource;
import dev.nnc.compiler.Kernels;
import dev.nnc.compiler.NncCompiler;
import dev.nnc.compiler.diag.SourceFile;
import dev.nnc.compiler.model.CheckedModel;
import dev.nnc.compiler.plan.Planner;
import dev.nnc.runtime.Memory;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A model file that has been read and checked, with the key under which the class cache remembers
 * what this file compiled to ({@link ClassCache#modelKey}). Its Java is generated when first asked
 * for: a run that finds the file's classes by that key never needs it.
 */
final class GeneratedModel {

  /** The package of classes that {@code train} and {@code eval} compile; they never reach the disk. */
  static final String PACKAGE = "dev.nnc.generated";

  private final Path file;
  private final CheckedModel checked;
  private final CompileOptions options;
  private final String modelKey;
  private GeneratedSource java;

  private GeneratedModel(Path file, CheckedModel checked, CompileOptions options, String modelKey) {
    this.file = file;
    this.checked = checked;
    this.options = options;
    this.modelKey = modelKey;
  }

  /**
   * Reads and checks {@code file} for the given maximum batch (the source's own when empty) and
   * kernels.
   *
   * @return empty after printing why not (unreadable file, or the model's diagnostics)
   */
  static Optional<GeneratedModel> check(Path file, OptionalInt batchSize, Kernels kernels, PrintWriter err) {
    Optional<SourceFile> source = ModelSources.read(file, err);
    if (source.isEmpty()) return Optional.empty();
    CompileOptions options = options(batchSize, kernels);
    Compilation compilation = NncCompiler.checkFor(source.get(), options);
    ModelSources.printDiagnostics(compilation, err);
    if (compilation.hasErrors() || compilation.model().isEmpty()) {
      return Optional.empty();
    }
    CheckedModel checked = compilation.model().get();
    // Before any of it is allocated: a model too big for the heap is the user's to shrink (or the heap to grow).
    long floats = Planner.plan(checked, batchSize).floatsHeld();
    int batch = batchSize.orElse(checked.train().batch());
    // The trainer's batch of inputs and targets comes on top.
    floats += (long) batch * (checked.inputSize() + checked.outputSize());
    Memory.require(floats * Float.BYTES, file + ": model " + checked.name() + " (" + String.format(Locale.ROOT,
        "%,d", checked.parameterCount()) + " parameters, batches of " + batch + ")");
    SourceFile text = source.get();
    String modelKey = ClassCache.modelKey(text.displayName(), text.fileName(),
        text.text().getBytes(StandardCharsets.UTF_8), describe(options));
    return Optional.of(new GeneratedModel(file, checked, options, modelKey));
  }

  Path file() {
    return file;
  }

  CheckedModel checked() {
    return checked;
  }

  String modelKey() {
    return modelKey;
  }

  /** The model's Java, generated on the first call. */
  synchronized GeneratedSource java() {
    if (java == null) java = NncCompiler.emit(checked, options);
    return java;
  }

  /** How {@code train} and {@code eval} compile: into {@link #PACKAGE}, for this batch, with these kernels. */
  static CompileOptions options(OptionalInt batchSize, Kernels kernels) {
    return new CompileOptions(PACKAGE, batchSize, kernels);
  }

  /** The options as the model key takes them. */
  static String describe(CompileOptions options) {
    return options.packageName() + " " + options.batchSize() + " " + options.kernels();
  }

  /**
   * The model key of {@code file} as {@link #check} would compute it, from the file as it is
   * now, without checking it; empty if it cannot be read.
   */
  static Optional<String> modelKeyOf(Path file, CompileOptions options) {
    try {
      byte[] content = Files.readAllBytes(file);
      Path name = file.getFileName();
      return Optional.of(ClassCache.modelKey(file.toString(), name == null ? file.toString() : name.toString(),
          content, describe(options)));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
