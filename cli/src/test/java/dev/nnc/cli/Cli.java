package dev.nnc.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code nnc} in this JVM with captured stdout and stderr. */
record Cli(int exitCode, String out, String err) {

  /** As {@code bin/nnc} runs it: {@link NncCommand#newCommandLine(String...)}. */
  static Cli run(String... args) {
    return run(NncCommand.newCommandLine(args), args);
  }

  /** {@link NncCommand#bareCommandLine(String...)}: without nnc's handlers. */
  static Cli runBare(String... args) {
    return run(NncCommand.bareCommandLine(args), args);
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
