package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WorkerTest {

  @Test
  void aWorkerRunsItsTaskOnItsOwnThreadAndJoinWaitsForIt() {
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    try (Worker worker = new Worker("test worker")) {
      worker.fork(() -> ranOn.set(Thread.currentThread()));
      worker.join();
    }
    assertNotSame(Thread.currentThread(), ranOn.get());
    assertEquals("test worker", ranOn.get().getName());
  }

  @Test
  void anInlineWorkerRunsItsTaskOnTheCallerInsideFork() {
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
      threaded.fork(() -> ranOn.set(Thread.currentThread()));
      threaded.join();
    }
    assertNotSame(Thread.currentThread(), ranOn.get());
  }

  @Test
  void joinRethrowsWhatTheTaskThrewOnEitherKindOfWorker() {
    IllegalArgumentException thrown = new IllegalArgumentException("a task's failure");
    AtomicReference<Worker> made = new AtomicReference<>();
    Worker.inlineWhile(() -> made.set(new Worker("inline")));
    try (Worker threaded = new Worker("threaded")) {
      for (Worker worker : new Worker[] {made.get(), threaded}) {
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
}
