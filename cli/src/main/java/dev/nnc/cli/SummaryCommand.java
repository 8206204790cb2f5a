package dev.nnc.cli;

import dev.nnc.compiler.Compilation;
import dev.nnc.compiler.ModelSummary;
import dev.nnc.compiler.NncCompiler;
import dev.nnc.compiler.diag.SourceFile;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code nnc summary FILE.nn}: Keras' {@code model.summary()} table. */
@Command(name = "summary", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Prints a model's layers, output shapes and parameter counts, as Keras' model.summary() does.")
final class SummaryCommand extends NncSubcommand {

  @Parameters(paramLabel = "FILE.nn", description = "The model file.")
  Path file;

  @Override
  int run() {
    Optional<SourceFile> source = ModelSources.read(file, err());
    if (source.isEmpty()) return ExitCodes.INPUT_ERROR;
    Compilation checked = NncCompiler.check(source.get());
    ModelSources.printDiagnostics(checked, err());
    if (checked.hasErrors() || checked.model().isEmpty()) return ExitCodes.INPUT_ERROR;
    out().print(ModelSummary.render(checked.model().get()));
    return ExitCodes.OK;
  }
}
