package dev.nnc.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A second thread for a generated model's training step: the caller hands it one task with
 * {@link #fork}, does its own share of the work, then waits with {@link #join}. Each side spins
 * for a fraction of a millisecond before it parks, so the hand-offs inside a step and from one
 * step to the next cost microseconds, while a side that waits longer gives its core away: a pure
 * busy-wait stalls for milliseconds whenever the OS deschedules the spinning thread on a loaded
 * machine.
 *
 * <p>A task the worker thread has not started by the time the caller joins, the caller runs
 * itself. The worker is then off its core (the OS gave the core to another thread, such as the
 * JIT's compilers in the first epochs, for a time slice of milliseconds), and a step that waited
 * for it took 10 times as long; so the split step takes at most its one-thread time. Tasks are
 * therefore free of any thread of their own: each part's data are the part's, not the thread's.
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

  /** Takes {@link #task} for the side that runs it: the worker thread or, if it is late, the caller. */
  private static final VarHandle TASK;

  static {
    try {
      TASK = MethodHandles.lookup().findVarHandle(Worker.class, "task", Runnable.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The worker thread; null for an inline worker. */
  private final Thread thread;
  /** The task forked and not yet started by either side. */
  private volatile Runnable task;
  /** From a fork until its task has ended, on whichever side ran it. */
  private volatile boolean busy;
  private volatile Thread waiter;
  private volatile boolean closed;
  private volatile Throwable failure;

  /** Starts the worker thread, named {@code name}; inside {@link #inlineWhile}, makes an inline worker instead. */
  public Worker(String name) {
    this(name, true);
  }

  /**
   * As {@link #Worker(String)}, but with {@code start} false the thread is never started: a worker
   * that never takes its tasks, as one the OS keeps off its core, for tests of the caller's side.
   */
  Worker(String name, boolean start) {
    if (Boolean.TRUE.equals(INLINE.get())) {
      thread = null;
      return;
    }
    thread = new Thread(this::loop, name);
    thread.setDaemon(true);
    if (start) thread.start();
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
    if (busy) throw new IllegalStateException("the worker is still busy with its last task");
    if (closed) throw new IllegalStateException("the worker is closed");
    if (thread == null) {
      run(work);
      return;
    }
    waiter = Thread.currentThread();
    busy = true;
    task = work;
    LockSupport.unpark(thread);
  }

  /**
   * Waits until the worker thread has finished the task of the last {@link #fork}, or runs the task
   * here if the worker has not started it; rethrows what it threw, if anything.
   */
  public void join() {
    Runnable unstarted = task;
    if (unstarted != null && TASK.compareAndSet(this, unstarted, null)) {
      run(unstarted);
      busy = false;
    }
    long spinUntil = System.nanoTime() + SPIN_NANOS;
    while (busy) {
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

  /**
   * The worker thread's life: a task at a time. This loop never returns while training runs, so with
   * HotSpot's on-stack replacement off (as {@code bin/nnc} runs training) it stays in the interpreter for
   * good; its work per task is therefore two calls, to methods that the JIT compiles after their first few
   * calls. Written out here, the spin and the task's taking were interpreted at every hand-off.
   */
  private void loop() {
    for (Runnable work = nextTask(0); work != null; work = nextTask(System.nanoTime() + SPIN_NANOS)) {
      finish(work);
    }
  }

  /** Waits for the next task, spinning until {@code spinUntil} and then parked, and takes it; null once closed. */
  private Runnable nextTask(long spinUntil) {
    while (!closed) {
      Runnable work = task;
      if (work != null && TASK.compareAndSet(this, work, null)) return work;
      if (System.nanoTime() < spinUntil) {
        Thread.onSpinWait();
      } else {
        LockSupport.park(this);
      }
    }
    return null;
  }

  /** Runs a task the worker thread took, then lets the caller's {@link #join} return. */
  private void finish(Runnable work) {
    run(work);
    busy = false;
    LockSupport.unpark(waiter);
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
