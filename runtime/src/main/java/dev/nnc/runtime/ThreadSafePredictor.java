package dev.nnc.runtime;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Prediction from any number of threads. A {@link Model} instance keeps one batch of workspaces
 * and is not thread-safe; this gives each thread that predicts an instance of its own (made by
 * {@code newModel} the first time the thread asks), holding the weights the given model had when
 * this predictor was made. Answers are those of the model on one thread, bit for bit.
 *
 * <pre>{@code
 * ThreadSafePredictor predictor = ThreadSafePredictor.of(trained, MnistModel::new);
 * float[] probabilities = predictor.predict(x, n);   // from any thread
 * }</pre>
 */
public final class ThreadSafePredictor {
  private final Map<String, float[]> weights;
  private final ThreadLocal<Model> perThread;

  private ThreadSafePredictor(Model model, Supplier<? extends Model> newModel) {
    weights = Weights.copy(model);
    perThread = ThreadLocal.withInitial(() -> {
      Model own = newModel.get();
      if (own.getClass() != model.getClass()) {
        throw new IllegalArgumentException("newModel made a " + own.getClass().getName() + ", not a " + model.getClass().getName());
      }
      weights.forEach(own::writeParameter); // writeParameter copies: the snapshot stays read-only
      return own;
    });
  }

  /**
   * A predictor with {@code model}'s current weights (copied now: later training of {@code model}
   * does not change it); {@code newModel} makes fresh instances of the same class, such as
   * {@code MnistModel::new}.
   */
  public static ThreadSafePredictor of(Model model, Supplier<? extends Model> newModel) {
    return new ThreadSafePredictor(model, newModel);
  }

  /** {@link Trainer#predict} on this thread's own instance: {@code n * outputSize()} floats. */
  public float[] predict(float[] x, int n) {
    return Trainer.predict(perThread.get(), x, n);
  }
}
