package dev.nnc.cli;

import dev.nnc.compiler.Compilation;
import dev.nnc.compiler.NncCompiler;
import dev.nnc.compiler.diag.SourceFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code nnc check FILE.nn...}: diagnostics only; silent when every file is fine, as compilers are. */
@Command(name = "check", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {
        "Checks model files and prints every problem in every file to stderr.",
        "Prints nothing when all files are fine."})
final class CheckCommand extends NncSubcommand {

  @Parameters(paramLabel = "FILE.nn", arity = "1..*", description = "Model files.")
  List<Path> files;

  @Override
  int run() {
    boolean failed = false;
    for (Path file : files) {
      Optional<SourceFile> source = ModelSources.read(file, err());
      if (source.isEmpty()) {
        failed = true;
        continue;
      }
      Compilation checked = NncCompiler.check(source.get());
      ModelSources.printDiagnostics(checked, err());
      failed |= checked.hasErrors();
    }
    return failed ? ExitCodes.INPUT_ERROR : ExitCodes.OK;
  }
}
