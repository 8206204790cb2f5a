package dev.nnc.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What every {@code nnc} subcommand shares: its output streams, and the rule that any failure
 * becomes a message and an exit code (see {@link Failures}) even when the command runs without
 * {@link NncCommand#newCommandLine(String...)}'s handlers.
 */
abstract class NncSubcommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  /** Does the work; returns the exit code. */
  abstract int run() throws Exception;

  @Override
  public final Integer call() {
    try {
      int exitCode = run();
      out().flush();
      return exitCode;
    } catch (ParameterException e) {
      throw e; // bad usage: picocli's parameter exception handler prints it with the synopsis
    } catch (Exception e) {
      out().flush();
      return Failures.report(e, err());
    }
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** A usage error (exit code 2) about this command's arguments. */
  ParameterException usageError(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
