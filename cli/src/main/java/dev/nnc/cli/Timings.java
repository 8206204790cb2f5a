package dev.nnc.cli;

import dev.nnc.runtime.FitCallback;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What {@code nnc train --timings} prints to stderr once training ends: how long each stage of the
 * start-up took, when the first training step began and how long each epoch took, in seconds.
 *
 * <p>Points in time are measured from the JVM's start; the JVM's start time is asked for only when
 * the figures are printed, so that measuring costs nothing before.
 */
final class Timings implements FitCallback {
  private record Line(String label, long nanos, boolean sinceStart) {}

  private final List<Line> lines = new ArrayList<>();
  /** The training thread's CPU time, or null when the figures will not be printed. */
  private final ThreadMXBean threads;
  private long epochStart;
  private long epochCpuStart;
  private long trainBegin;
  private long epochsNanos;

  /** Figures that will be printed ({@code shown}) also note each epoch's CPU time, which a busy machine does not inflate. */
  Timings(boolean shown) {
    this.threads = shown ? ManagementFactory.getThreadMXBean() : null;
  }

  /** Starts a stopwatch: {@code System.nanoTime()}. */
  static long start() {
    return System.nanoTime();
  }

  /** Records that {@code label} took from {@code startNanos} until now. */
  synchronized void took(String label, long startNanos) {
    lines.add(new Line(label, System.nanoTime() - startNanos, false));
  }

  /** Records that {@code label} took {@code nanos}. */
  synchronized void record(String label, long nanos) {
    lines.add(new Line(label, nanos, false));
  }

  /** Records that {@code label} happened now (printed as the time since the JVM started). */
  synchronized void now(String label) {
    lines.add(new Line(label, System.nanoTime(), true));
  }

  @Override
  public void onTrainBegin() {
    trainBegin = System.nanoTime();
    now("JVM start to the first training step");
  }

  @Override
  public void onEpochBegin(int epoch) {
    epochStart = System.nanoTime();
    if (threads != null) epochCpuStart = threads.getCurrentThreadCpuTime();
  }

  @Override
  public void onEpochEnd(int epoch, java.util.Map<String, Double> logs) {
    String cpu = threads == null ? ""
        : String.format(Locale.ROOT, "; %.3f s of CPU", (threads.getCurrentThreadCpuTime() - epochCpuStart) / 1e9);
    epochsNanos += System.nanoTime() - epochStart;
    boolean validated = logs.keySet().stream().anyMatch(name -> name.startsWith("val_"));
    took("epoch " + (epoch + 1) + " (steps" + (validated ? " and validation" : "") + cpu + ")", epochStart);
  }

  /** Seconds from the JVM's start to the first training step (0 before training began). */
  synchronized double secondsToFirstStep() {
    return trainBegin == 0 ? 0 : (trainBegin - jvmStart()) / 1e9;
  }

  /** The epochs' wall time so far, validation included, in seconds. */
  synchronized double epochSeconds() {
    return epochsNanos / 1e9;
  }

  /** The JVM's start in {@code System.nanoTime()}'s clock: the wall clock's distance to it, subtracted from now. */
  private static long jvmStart() {
    long uptimeMillis = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    return System.nanoTime() - uptimeMillis * 1_000_000L;
  }

  /** Prints the figures, ending with the time from the JVM's start to now. */
  synchronized void print(PrintWriter err) {
    now("JVM start to the end");
    long jvmStart = jvmStart();
    err.println("nnc: timings (seconds):");
    err.println(format(NncCommand.STARTED_NANOS - jvmStart, "JVM start to main"));
    for (Line line : lines) {
      err.println(format(line.sinceStart() ? line.nanos() - jvmStart : line.nanos(), line.label()));
    }
    err.flush();
  }

  private static String format(long nanos, String label) {
    return String.format(Locale.ROOT, "%8.3f  %s", nanos / 1e9, label);
  }
}
