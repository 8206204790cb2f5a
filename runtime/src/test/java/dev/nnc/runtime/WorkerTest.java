package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class WorkerTest {

  /**
   * Forks {@code work} and returns once the worker thread has started it (a task not started by the
   * time of the join, the caller runs itself).
   */
  private static void forkAndWaitUntilStarted(Worker worker, Runnable work) throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    worker.fork(() -> {
      started.countDown();
      work.run();
    });
    started.await();
  }

  @Test
  void aWorkerRunsItsTaskOnItsOwnThreadAndJoinWaitsForIt() throws InterruptedException {
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    AtomicBoolean finished = new AtomicBoolean();
    try (Worker worker = new Worker("test worker")) {
      forkAndWaitUntilStarted(worker, () -> {
        ranOn.set(Thread.currentThread());
        LockSupport.parkNanos(50_000_000);
        finished.set(true);
      });
      worker.join();
      assertTrue(finished.get());
    }
    assertNotSame(Thread.currentThread(), ranOn.get());
    assertEquals("test worker", ranOn.get().getName());
  }

  @Test
  void anInlineWorkerRunsItsTaskOnTheCallerInsideFork() throws InterruptedException {
    AtomicReference<Worker> made = new AtomicReference<>();
    Worker.inlineWhile(() -> made.set(new Worker("inline")));
    Worker worker = made.get();
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    worker.fork(() -> ranOn.set(Thread.currentThread()));
    // already done when fork returns, before join
    assertSame(Thread.currentThread(), ranOn.get());
    worker.join();
    worker.close();
    // only workers made inside inlineWhile are inline
    try (Worker threaded = new Worker("threaded")) {
      forkAndWaitUntilStarted(threaded, () -> ranOn.set(Thread.currentThread()));
      threaded.join();
    }
    assertNotSame(Thread.currentThread(), ranOn.get());
  }

  @Test
  void joinRethrowsWhatTheTaskThrewOnEitherKindOfWorker() {
    IllegalArgumentException thrown = new IllegalArgumentException("a task's failure");
    AtomicReference<Worker> made = new AtomicReference<>();
    Worker.inlineWhile(() -> made.set(new Worker("inline")));
    // the never-started worker's task fails on the caller, in join
    try (Worker threaded = new Worker("threaded"); Worker late = new Worker("never started", false)) {
      for (Worker worker : new Worker[] {made.get(), threaded, late}) {
        worker.fork(() -> {
          throw thrown;
        });
        assertSame(thrown, assertThrows(IllegalArgumentException.class, worker::join));
        // and the worker takes its next task
        worker.fork(() -> { });
        worker.join();
      }
    }
  }

  @Test
  @Timeout(value = 10, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // without the caller's run, join waits for ever
  void joinRunsATaskTheWorkerHasNotStartedOnTheCaller() {
    try (Worker late = new Worker("never started", false)) {
      AtomicReference<Thread> ranOn = new AtomicReference<>();
      late.fork(() -> ranOn.set(Thread.currentThread()));
      // not run by fork: a threaded worker's fork only hands the task over
      assertEquals(null, ranOn.get());
      late.join();
      assertSame(Thread.currentThread(), ranOn.get());
    }
  }

  @Test
  void eachTaskRunsOnceWhicheverSideTakesIt() throws InterruptedException {
    int tasks = 20_000;
    AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
    AtomicInteger onCaller = new AtomicInteger();
    Thread caller = Thread.currentThread();
    try (Worker worker = new Worker("raced")) {
      for (int t = 0; t < tasks; t++) {
        int task = t;
        worker.fork(() -> {
          runs.incrementAndGet(task);
          if (Thread.currentThread() == caller) onCaller.incrementAndGet();
        });
        // now and then let the worker park, so that the next task finds it asleep and join races it
        if (t % 1000 == 0) Thread.sleep(1);
        worker.join();
        assertEquals(1, runs.get(task), "task " + task + " runs once, and before join returns");
      }
    }
    assertTrue(onCaller.get() < tasks, "the worker thread took some of the tasks");
  }
}
