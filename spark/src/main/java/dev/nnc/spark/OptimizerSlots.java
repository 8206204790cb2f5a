package dev.nnc.spark;

import dev.nnc.runtime.Model;
import java.util.List;

/**
 * The optimizer state of a model that parameter averaging moves and averages: its slot arrays
 * (RMSprop's velocity, Adam's momentum and velocity, SGD's momentum), through
 * {@link Model#optimizerSlots()} in Keras layout, and its step count. Averaging only adds and
 * scales them elementwise.
 */
final class OptimizerSlots {
  private OptimizerSlots() {}

  /** How many slot arrays the model has (0 for plain SGD). */
  static int count(Model model) {
    return model.optimizerSlots().size();
  }

  /** Copies of the model's slot arrays, in {@link Model#optimizerSlots()} order. */
  static float[][] read(Model model) {
    List<Model.Tensor> slots = model.optimizerSlots();
    float[][] copies = new float[slots.size()][];
    for (int i = 0; i < copies.length; i++) {
      copies[i] = new float[slots.get(i).size()];
      model.readOptimizerSlot(slots.get(i).name(), copies[i]);
    }
    return copies;
  }

  /** Replaces the model's slot arrays, in {@link #read}'s order. */
  static void write(Model model, float[][] values) {
    List<Model.Tensor> slots = model.optimizerSlots();
    if (values.length != slots.size()) {
      throw new IllegalArgumentException(values.length + " slot arrays for a model with " + slots.size());
    }
    for (int i = 0; i < values.length; i++) model.writeOptimizerSlot(slots.get(i).name(), values[i]);
  }
}
