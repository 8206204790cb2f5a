package dev.nnc.cli;

import dev.nnc.compiler.Compilation;
import dev.nnc.compiler.CompileOptions;
import dev.nnc.compiler.Kernels;
import dev.nnc.compiler.OutputFiles;
import dev.nnc.compiler.GeneratedSource;
import dev.nnc.compiler.NncCompiler;
import dev.nnc.compiler.diag.SourceFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nnc compile [-d OUTDIR] [-p PACKAGE] FILE.nn...}: one Java class per model file; with
 * {@code --inference --weights W.npz}, the standalone predictor of one trained model instead
 * ({@link PredictorExport}).
 *
 * <p>All or nothing: every file is compiled before anything is written, and one error anywhere
 * means nothing is written. Each file is replaced in one rename, and only when its content
 * changed, so an unchanged model keeps its class file's timestamp.
 */
@Command(name = "compile", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {
        "Compiles model files into Java sources: OUTDIR/<package path>/<Name>Model.java.",
        "With --inference --weights W.npz: <Name>Predictor.java, the trained model's forward pass needing only",
        "java.base, and its weights resource <Name>Predictor.weights beside it (keep the two together).",
        "Writes nothing if any file has an error."})
final class CompileCommand extends NncSubcommand {

  @Option(names = {"-d", "--directory"}, paramLabel = "OUTDIR", defaultValue = ".",
      description = "Where the package folders go (default: ${DEFAULT-VALUE}).")
  Path outputDirectory;

  @Option(names = {"-p", "--package"}, paramLabel = "PACKAGE", defaultValue = "",
      description = "Java package of the generated classes (default: none).")
  String packageName;

  @Option(names = "--kernels", paramLabel = "KIND",
      description = "Dense kernels: scalar (plain loops, compile and run anywhere; the default) or vector"
          + " (the Vector API, about 3x faster: compile and run with --add-modules jdk.incubator.vector)."
          + " With --inference, vector (the default) adds Vector API kernels that run where Java has the module"
          + " (the class compiles with --add-modules jdk.incubator.vector and runs anywhere); scalar, plain Java only.")
  Kernels kernels;

  @Option(names = "--inference",
      description = "Write the standalone predictor of the model trained into --weights instead of the training class.")
  boolean inference;

  @Option(names = "--weights", paramLabel = "W.npz",
      description = "With --inference: the trained weights, as train --save writes them.")
  Path weights;

  @Parameters(paramLabel = "FILE.nn", arity = "1..*", description = "Model files.")
  List<Path> files;

  @Override
  int run() throws IOException {
    Optional<String> packageProblem = CompileOptions.packageNameProblem(packageName);
    if (packageProblem.isPresent()) {
      throw usageError("Invalid value for option '--package': " + packageProblem.get());
    }
    if (weights != null && !inference) throw usageError("--weights is for --inference");
    if (inference) {
      if (weights == null) throw usageError("--inference needs --weights W.npz, the trained weights");
      if (files.size() != 1) throw usageError("--inference compiles one model file with its weights, not " + files.size());
      return PredictorExport.write(files.get(0), weights, packageName, kernels == null ? Kernels.VECTOR : kernels,
          outputDirectory, err());
    }
    Kernels chosen = kernels == null ? Kernels.SCALAR : kernels;

    // Compile everything first; write only if all of it succeeded.
    boolean failed = false;
    List<GeneratedSource> generated = new ArrayList<>();
    Map<String, Path> sourceOfOutput = new LinkedHashMap<>();
    for (Path file : files) {
      Optional<SourceFile> source = ModelSources.read(file, err());
      if (source.isEmpty()) {
        failed = true;
        continue;
      }
      Compilation compilation = NncCompiler.compile(source.get(), CompileOptions.inPackage(packageName).withKernels(chosen));
      ModelSources.printDiagnostics(compilation, err());
      if (compilation.hasErrors() || compilation.generated().isEmpty()) {
        failed = true;
        continue;
      }
      GeneratedSource java = compilation.generated().get();
      Path earlier = sourceOfOutput.putIfAbsent(java.relativePath(), file);
      if (earlier != null) {
        err().println("nnc: error: " + file + " and " + earlier + " both define " + java.qualifiedName()
            + "; give one of them another model name or file name");
        failed = true;
        continue;
      }
      generated.add(java);
    }
    if (failed) return ExitCodes.INPUT_ERROR;

    for (GeneratedSource java : generated) {
      Path target = outputDirectory.resolve(java.relativePath());
      try {
        OutputFiles.writeIfChanged(target, java.code().getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new UserError("cannot write " + target + ": " + Failures.describe(e), e);
      }
    }
    return ExitCodes.OK;
  }
}
