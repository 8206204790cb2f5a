package dev.nnc.spark;

import dev.nnc.runtime.Model;
import java.io.Serializable;
import java.util.List;

/**
 * What travels between the driver and the executors: a model's parameters (or, in {@code sync}
 * mode, gradient sums) in Keras layout (in {@link Model#parameters()} order) and, for parameter averaging, its optimizer slots and step
 * count ({@link OptimizerSlots}). Sums of states from several partitions add elementwise, with the
 * number of states summed, so that the driver can take their mean.
 */
final class ModelState implements Serializable {
  private static final long serialVersionUID = 1L;

  final float[][] parameters;
  /** The optimizer's slots in Keras layout, or null when they do not travel. */
  final float[][] slots;
  /** The optimizer's step count; summed, like everything else, in a sum of states. */
  double iterations;
  /** How many states were added into this one. */
  int count;

  private ModelState(float[][] parameters, float[][] slots, double iterations, int count) {
    this.parameters = parameters;
    this.slots = slots;
    this.iterations = iterations;
    this.count = count;
  }

  /** The model's parameters, and its optimizer state too when {@code withOptimizer}. */
  static ModelState read(Model model, boolean withOptimizer) {
    List<Model.Tensor> tensors = model.parameters();
    float[][] parameters = new float[tensors.size()][];
    for (int i = 0; i < parameters.length; i++) {
      parameters[i] = new float[tensors.get(i).size()];
      model.readParameter(tensors.get(i).name(), parameters[i]);
    }
    if (!withOptimizer) return new ModelState(parameters, null, 0, 1);
    return new ModelState(parameters, OptimizerSlots.read(model), model.iterations(), 1);
  }

  /**
   * The gradients the model holds (those of a batch's mean loss) times {@code rows}: the batch's
   * gradient sum, which adds up over partitions.
   */
  static ModelState gradientSum(Model model, int rows) {
    List<Model.Tensor> tensors = model.parameters();
    float[][] sums = new float[tensors.size()][];
    for (int i = 0; i < sums.length; i++) {
      float[] g = new float[tensors.get(i).size()];
      model.readGradient(tensors.get(i).name(), g);
      for (int j = 0; j < g.length; j++) g[j] *= rows;
      sums[i] = g;
    }
    return new ModelState(sums, null, 0, 1);
  }

  /**
   * Divides a sum of batch gradients by the rows of the whole batch and hands the mean to the
   * model as its gradients, ready for {@link Model#applyGradients}.
   */
  void writeMeanGradientTo(Model model, long rows) {
    List<Model.Tensor> tensors = model.parameters();
    for (int i = 0; i < parameters.length; i++) {
      float[] g = parameters[i].clone();
      for (int j = 0; j < g.length; j++) g[j] /= rows;
      model.writeGradient(tensors.get(i).name(), g);
    }
  }

  /** Sets the model's parameters, and its optimizer state when this state carries it. */
  void writeTo(Model model) {
    List<Model.Tensor> tensors = model.parameters();
    for (int i = 0; i < parameters.length; i++) model.writeParameter(tensors.get(i).name(), parameters[i]);
    if (slots != null) {
      OptimizerSlots.write(model, slots);
      model.setIterations(Math.round(iterations));
    }
  }

  /** Adds {@code other} into this state (a sum of states from several partitions); returns this. */
  ModelState add(ModelState other) {
    addInto(parameters, other.parameters);
    if (slots != null) addInto(slots, other.slots);
    iterations += other.iterations;
    count += other.count;
    return this;
  }

  /** The mean of the {@link #count} states summed into this one, in place; returns this. */
  ModelState mean() {
    float scale = 1f / count;
    scale(parameters, scale);
    if (slots != null) scale(slots, scale);
    iterations /= count;
    count = 1;
    return this;
  }

  /** Total floats held: what one copy of this state moves over the network, times four bytes. */
  long floats() {
    long n = 0;
    for (float[] p : parameters) n += p.length;
    if (slots != null) for (float[] s : slots) n += s.length;
    return n;
  }

  static void addInto(float[][] sum, float[][] values) {
    for (int i = 0; i < sum.length; i++) {
      float[] s = sum[i];
      float[] v = values[i];
      for (int j = 0; j < s.length; j++) s[j] += v[j];
    }
  }

  private static void scale(float[][] arrays, float factor) {
    for (float[] a : arrays) {
      for (int j = 0; j < a.length; j++) a[j] *= factor;
    }
  }
}
