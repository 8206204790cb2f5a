package dev.nnc.runtime;

import java.util.Arrays;

/**
 * The learning rate as a function of the optimizer's step count, as
 * {@code keras.optimizers.schedules}: {@code fit} sets the model's learning rate to
 * {@code at(iterations)} before each step, {@code iterations} counting the steps before it (0 for
 * the first). Computed in float32, as Keras computes it.
 */
@FunctionalInterface
public interface LearningRateSchedule {

  /** The learning rate for the step that follows {@code step} earlier ones. */
  float at(long step);

  /**
   * {@code ExponentialDecay}: {@code initial * rate^(step / decaySteps)}, the exponent floored
   * with {@code staircase}.
   */
  static LearningRateSchedule exponentialDecay(double initialLearningRate, long decaySteps, double decayRate,
      boolean staircase) {
    if (decaySteps < 1) throw new IllegalArgumentException("decay_steps must be at least 1, not " + decaySteps);
    float initial = (float) initialLearningRate;
    float rate = (float) decayRate;
    float steps = decaySteps;
    return step -> {
      float p = (float) step / steps;
      if (staircase) p = (float) Math.floor(p);
      return initial * (float) Math.pow(rate, p);
    };
  }

  /**
   * {@code PiecewiseConstantDecay}: {@code values[0]} up to and including step {@code boundaries[0]},
   * {@code values[i]} for {@code boundaries[i-1] < step <= boundaries[i]}, the last value after
   * the last boundary; {@code values} has one more element than {@code boundaries}, which increase.
   */
  static LearningRateSchedule piecewiseConstantDecay(long[] boundaries, double[] values) {
    if (values.length != boundaries.length + 1) {
      throw new IllegalArgumentException("values must have one more element than boundaries: "
          + values.length + " values, " + boundaries.length + " boundaries");
    }
    for (int i = 1; i < boundaries.length; i++) {
      if (boundaries[i] <= boundaries[i - 1]) throw new IllegalArgumentException("boundaries must increase: " + Arrays.toString(boundaries));
    }
    long[] b = boundaries.clone();
    float[] v = new float[values.length];
    for (int i = 0; i < v.length; i++) v[i] = (float) values[i];
    return step -> {
      for (int i = 0; i < b.length; i++) {
        if (step <= b[i]) return v[i];
      }
      return v[b.length];
    };
  }

  /**
   * {@code CosineDecay}: with {@code warmupSteps > 0}, a linear warm-up from {@code initial} to
   * {@code warmupTarget} over {@code warmupSteps} steps, then from there (or from {@code initial}
   * without warm-up, {@code warmupTarget} NaN) a cosine decay over {@code decaySteps} steps to
   * {@code alpha} times that rate, held after.
   */
  static LearningRateSchedule cosineDecay(double initialLearningRate, long decaySteps, double alpha,
      double warmupTarget, long warmupSteps) {
    if (decaySteps < 1) throw new IllegalArgumentException("decay_steps must be at least 1, not " + decaySteps);
    if (warmupSteps < 0) throw new IllegalArgumentException("warmup_steps must be 0 or more, not " + warmupSteps);
    float initial = (float) initialLearningRate;
    float a = (float) alpha;
    float decay = decaySteps;
    boolean warmup = !Double.isNaN(warmupTarget);
    float target = (float) warmupTarget;
    float warm = warmupSteps;
    return step -> {
      if (!warmup) return decayed(Math.min((float) step, decay), decay, initial, a);
      float s = Math.min((float) step, decay + warm);
      if (s < warm) return (target - initial) * (s / warm) + initial;
      return decayed(s - warm, decay, target, a);
    };
  }

  private static float decayed(float step, float decaySteps, float from, float alpha) {
    float completed = step / decaySteps;
    float cosine = 0.5f * (1f + (float) Math.cos((float) Math.PI * completed));
    return from * ((1f - alpha) * cosine + alpha);
  }
}
