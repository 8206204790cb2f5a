package dev.nnc.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Work started on its own daemon thread (so that it never keeps the JVM alive), whose result the
 * caller takes later with {@link #join}: a failure comes out there as the very exception the work
 * threw, so it reads as if the caller had done the work itself.
 */
final class Background<T> {
  private final FutureTask<T> task;

  private Background(FutureTask<T> task) {
    this.task = task;
  }

  /** Starts {@code work} on a new daemon thread called {@code name}. */
  static <T> Background<T> start(String name, Callable<T> work) {
    FutureTask<T> task = new FutureTask<>(work);
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
    return new Background<>(task);
  }

  /** Whether the work has ended, one way or the other. */
  boolean isDone() {
    return task.isDone();
  }

  /** Waits for the work and returns its result, or throws what it threw (checked exceptions wrapped). */
  T join() {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return task.get();
        } catch (InterruptedException e) {
          interrupted = true; // finish waiting: the work's outcome is what the caller acts on
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          if (cause instanceof RuntimeException runtime) throw runtime;
          if (cause instanceof Error error) throw error;
          throw new IllegalStateException(cause);
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /** Asks the work to stop (it is interrupted) when its result is no longer wanted. */
  void cancel() {
    task.cancel(true);
  }
}
