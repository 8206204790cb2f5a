package dev.nnc.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
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

  /**
   * The subcommands, in the order of the help's list. Each is made only for a command line that can
   * use it: picocli reads a command's options from its annotations when it is added, which took 56
   * of the 66 ms from {@code main} to a parsed {@code train} command line with all six.
   */
  private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

  private static Map<String, Supplier<Object>> subcommands() {
    Map<String, Supplier<Object>> commands = new LinkedHashMap<>();
    commands.put("compile", CompileCommand::new);
    commands.put("check", CheckCommand::new);
    commands.put("summary", SummaryCommand::new);
    commands.put("train", TrainCommand::new);
    commands.put("eval", EvalCommand::new);
    commands.put("predict", PredictCommand::new);
    commands.put("help", CommandLine.HelpCommand::new);
    return commands;
  }

  public static void main(String[] args) {
    TrainCommand.startEarly(args);
    System.exit(newCommandLine(args).execute(args));
  }

  /**
   * The command line as {@code main} runs it for {@code args}: short usage errors, no stack traces.
   */
  public static CommandLine newCommandLine(String... args) {
    // after the subcommands are added: these settings reach only the subcommands there are
    return bareCommandLine(args).setCaseInsensitiveEnumValuesAllowed(true)
        .setParameterExceptionHandler(NncCommand::reportUsageError)
        .setExecutionExceptionHandler(NncCommand::reportFailure);
  }

  /**
   * {@code nnc} without nnc's handlers, and with the subcommands {@code args} can use: when they
   * start with a subcommand's name, that subcommand alone; otherwise (no subcommand, {@code help},
   * an unknown or misspelt one, {@code --version}) all of them, for the help's list and the
   * suggestions.
   */
  static CommandLine bareCommandLine(String... args) {
    CommandLine line = new CommandLine(new NncCommand());
    String first = args.length > 0 ? args[0] : "";
    if (SUBCOMMANDS.containsKey(first) && !first.equals("help")) {
      line.addSubcommand(first, SUBCOMMANDS.get(first).get());
    } else {
      SUBCOMMANDS.forEach((name, command) -> line.addSubcommand(name, command.get()));
    }
    return line;
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
