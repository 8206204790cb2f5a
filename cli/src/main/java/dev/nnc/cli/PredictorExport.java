package dev.nnc.cli;

import dev.nnc.compiler.Compilation;
import dev.nnc.compiler.CompileOptions;
import dev.nnc.compiler.GeneratedPredictor;
import dev.nnc.compiler.Kernels;
import dev.nnc.compiler.NncCompiler;
import dev.nnc.compiler.OutputFiles;
import dev.nnc.compiler.diag.SourceFile;
import dev.nnc.compiler.model.CheckedModel;
import dev.nnc.runtime.Weights;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * {@code nnc compile --inference --weights W.npz}: the standalone {@code <Name>Predictor} of a model
 * file and its trained weights, written as {@code OUTDIR/<package path>/<Name>Predictor.java} with
 * its weights resource {@code <Name>Predictor.weights} beside it. Nothing is written unless the
 * model checks and the weights fit it.
 */
final class PredictorExport {
  private PredictorExport() {}

  static int write(Path file, Path weights, String packageName, Kernels kernels, Path outputDirectory, PrintWriter err) {
    Optional<SourceFile> source = ModelSources.read(file, err);
    if (source.isEmpty()) return ExitCodes.INPUT_ERROR;
    Compilation compilation = NncCompiler.check(source.get());
    ModelSources.printDiagnostics(compilation, err);
    if (compilation.hasErrors() || compilation.model().isEmpty()) return ExitCodes.INPUT_ERROR;
    CheckedModel model = compilation.model().get();

    Map<String, float[]> trained = UserError.whileReading(weights.toString(),
        () -> Weights.read(weights, NncCompiler.parameterShapes(model), model.name()));
    GeneratedPredictor predictor = NncCompiler.predictor(model, CompileOptions.inPackage(packageName).withKernels(kernels), trained);

    write(outputDirectory.resolve(predictor.source().relativePath()), predictor.source().code().getBytes(StandardCharsets.UTF_8));
    write(outputDirectory.resolve(predictor.resourcePath()), predictor.weights());
    return ExitCodes.OK;
  }

  private static void write(Path target, byte[] content) {
    try {
      OutputFiles.writeIfChanged(target, content);
    } catch (IOException e) {
      throw new UserError("cannot write " + target + ": " + Failures.describe(e), e);
    }
  }
}
