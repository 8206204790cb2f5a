package dev.nnc.spark;

import dev.nnc.runtime.Model;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Model instances kept in each JVM between tasks, so that a task borrows one (with its workspaces
 * and batch buffers, all allocated once) instead of building a model per step. A model serves one
 * task at a time; concurrent tasks of the same model get instances of their own.
 *
 * <p>Only the instances of the last few model codes are kept, so that a long-lived executor that
 * runs many fits does not accumulate them.
 */
final class ExecutorModels {
  private static final int CODES_KEPT = 4;

  /** Idle instances by {@link ModelCode#id()}, least recently used first. */
  private static final Map<String, Deque<Instance>> IDLE = new LinkedHashMap<>(8, 0.75f, true) {
    private static final long serialVersionUID = 1L;

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Deque<Instance>> eldest) {
      return size() > CODES_KEPT;
    }
  };

  private ExecutorModels() {}

  /** A model and one batch of input and target buffers for it. */
  static final class Instance {
    final Model model;
    final float[] x;
    final float[] y;
    /** The broadcast whose parameters the model holds unchanged, or -1: spares rewriting them. */
    long stateId = -1;

    Instance(Model model) {
      this.model = model;
      this.x = new float[model.maxBatch() * model.inputSize()];
      this.y = new float[model.maxBatch() * model.targetSize()];
    }
  }

  /** An idle instance of the code's model, or a new one. */
  static Instance borrow(ModelCode code) {
    String id = code.id();
    synchronized (IDLE) {
      Deque<Instance> idle = IDLE.get(id);
      if (idle != null && !idle.isEmpty()) return idle.pop();
    }
    return new Instance(code.newInstance());
  }

  /** Returns an instance borrowed for {@code code}. */
  static void release(ModelCode code, Instance instance) {
    synchronized (IDLE) {
      IDLE.computeIfAbsent(code.id(), k -> new ArrayDeque<>()).push(instance);
    }
  }
}
