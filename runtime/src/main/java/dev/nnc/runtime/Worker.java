package dev.nnc.runtime;

import java.util.concurrent.locks.LockSupport;

/**
 * A second thread for a generated model's training step: the caller hands it one task with
 * {@link #fork}, does its own share of the work, then waits with {@link #join}. Each side spins
 * for a fraction of a millisecond before it parks, so the hand-offs inside a step and from one
 * step to the next cost microseconds, while a side that waits longer gives its core away: a pure
 * busy-wait stalls for milliseconds whenever the OS deschedules the spinning thread on a loaded
 * machine.
 *
 * <p>Used by one caller thread at a time. The thread is a daemon; {@link #close} ends it.
 *
 * <p>A worker made inside {@link #inlineWhile} has no thread: {@code fork} runs the task at once on
 * the caller. A model's JIT warm-up uses one so that the split step's code paths, both parts of
 * every split kernel included, run and are profiled without a second thread taking a core from
 * the compilers.
 */
public final class Worker implements AutoCloseable {
  /**
   * How long a side spins before it parks: longer than the caller's own work between two hand-offs
   * (the small layers' kernels, the trainer between steps), so that the worker is not parked when
   * the next task comes. Waking a parked thread costs tens of microseconds; with 20 µs, the MNIST
   * example's epochs took 10–15% longer than with 200 µs.
   */
  private static final long SPIN_NANOS = 200_000;

  /** Set while {@link #inlineWhile} runs on this thread. */
  private static final ThreadLocal<Boolean> INLINE = new ThreadLocal<>();

  /** The worker thread; null for an inline worker. */
  private final Thread thread;
  private volatile Runnable task;
  private volatile Thread waiter;
  private volatile boolean closed;
  private volatile Throwable failure;

  /** Starts the worker thread, named {@code name}; inside {@link #inlineWhile}, makes an inline worker instead. */
  public Worker(String name) {
    if (Boolean.TRUE.equals(INLINE.get())) {
      thread = null;
      return;
    }
    thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Runs {@code body} on this thread with every worker it makes inline (see the class comment). */
  public static void inlineWhile(Runnable body) {
    INLINE.set(true);
    try {
      body.run();
    } finally {
      INLINE.remove();
    }
  }

  /** Hands {@code work} to the worker thread, which starts it at once; an inline worker runs it now. */
  public void fork(Runnable work) {
    if (task != null) throw new IllegalStateException("the worker is still busy with its last task");
    if (closed) throw new IllegalStateException("the worker is closed");
    if (thread == null) {
      run(work);
      return;
    }
    waiter = Thread.currentThread();
    task = work;
    LockSupport.unpark(thread);
  }

  /**
   * Waits until the worker thread has finished the task of the last {@link #fork}; rethrows what
   * it threw, if anything.
   */
  public void join() {
    long spinUntil = System.nanoTime() + SPIN_NANOS;
    while (task != null) {
      if (System.nanoTime() < spinUntil) {
        Thread.onSpinWait();
      } else {
        LockSupport.park(this);
      }
    }
    Throwable thrown = failure;
    if (thrown != null) {
      failure = null;
      if (thrown instanceof RuntimeException e) throw e;
      if (thrown instanceof Error e) throw e;
      throw new IllegalStateException(thrown);
    }
  }

  private void loop() {
    long spinUntil = 0;
    while (!closed) {
      Runnable work = task;
      if (work == null) {
        if (System.nanoTime() < spinUntil) {
          Thread.onSpinWait();
        } else {
          LockSupport.park(this);
        }
        continue;
      }
      run(work);
      task = null;
      LockSupport.unpark(waiter);
      spinUntil = System.nanoTime() + SPIN_NANOS;
    }
  }

  /** Runs {@code work}, keeping what it throws for {@link #join} to rethrow. */
  private void run(Runnable work) {
    try {
      work.run();
    } catch (Throwable e) {
      failure = e;
    }
  }

  /** Ends the worker thread once it is idle. */
  @Override
  public void close() {
    closed = true;
    if (thread != null) LockSupport.unpark(thread);
  }
}
