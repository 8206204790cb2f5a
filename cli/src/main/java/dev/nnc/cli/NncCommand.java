package dev.nnc.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code nnc} command: compiles model files to Java, checks and summarizes them, and trains and
 * evaluates models without a build.
 */
@Command(name = "nnc", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = "Compiles nnc model files into Java classes that train neural networks.",
    subcommands = {
        CompileCommand.class, CheckCommand.class, SummaryCommand.class, TrainCommand.class, EvalCommand.class, PredictCommand.class,
        CommandLine.HelpCommand.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:success",
        "1:errors in the input: a bad model, a missing or malformed data or weights file",
        "2:bad usage: an unknown option, a missing or invalid argument",
        "3:internal error: a bug in nnc (for example generated code that does not compile)"})
public final class NncCommand implements Runnable {

  /** When this class was initialized, which {@code main} does first: the origin of {@code --timings}' "main". */
  static final long STARTED_NANOS = System.nanoTime();

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing command: compile, check, summary, train, eval or predict");
  }

  public static void main(String[] args) {
    System.exit(newCommandLine().execute(args));
  }

  /** The command line as {@code main} runs it: short usage errors, no stack traces. */
  public static CommandLine newCommandLine() {
    return new CommandLine(new NncCommand())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setParameterExceptionHandler(NncCommand::reportUsageError)
        .setExecutionExceptionHandler(NncCommand::reportFailure);
  }

  /** The error, the command's synopsis and where to read more; not the whole help, which would bury the error. */
  private static int reportUsageError(ParameterException error, String[] args) {
    CommandLine command = error.getCommandLine();
    PrintWriter err = command.getErr();
    String name = command.getCommandSpec().qualifiedName();
    err.println(name + ": " + error.getMessage());
    UnmatchedArgumentException.printSuggestions(error, err);
    err.print(command.getHelp().fullSynopsis());
    err.println("Try '" + name + " --help' for more information.");
    err.flush();
    return ExitCodes.USAGE;
  }

  /** Anything a subcommand did not turn into an exit code itself. */
  private static int reportFailure(Exception failure, CommandLine command, ParseResult parsed) {
    int exitCode = Failures.report(failure, command.getErr());
    command.getErr().flush();
    return exitCode;
  }
}
