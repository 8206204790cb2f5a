package dev.nnc.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code nnc} in this JVM with captured stdout and stderr. */
record Cli(int exitCode, String out, String err) {

  /** As {@code bin/nnc} runs it: {@link NncCommand#newCommandLine()}. */
  static Cli run(String... args) {
    return run(NncCommand.newCommandLine(), args);
  }

  /** A bare {@code new CommandLine(new NncCommand())}, without nnc's handlers. */
  static Cli runBare(String... args) {
    return run(new CommandLine(new NncCommand()), args);
  }

  private static Cli run(CommandLine commandLine, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Cli(exitCode, out.toString(), err.toString());
  }

  /** Output that a user would see as a crash. */
  boolean showsStackTrace() {
    return (out + err).contains("Exception") || (out + err).contains("\tat ");
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
  }
}
