package dev.nnc.runtime;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A model's parameters as a NumPy {@code .npz}: one float32 array per {@link Model#parameters()}
 * entry, under its Keras name and in Keras layout ({@code dense_1/kernel} {@code [in, out]},
 * {@code dense_1/bias} {@code [out]}), readable by numpy, PyTorch and Keras users.
 */
public final class Weights {
  private Weights() {}

  /** Writes the model's parameters to {@code file} atomically; a failure leaves an old file intact. */
  public static void save(Model model, Path file) {
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    Map<String, float[]> values = copy(model);
    for (Model.Tensor t : model.parameters()) arrays.put(t.name(), NpyArray.ofFloats(t.shape(), values.get(t.name())));
    Npz.write(file, arrays);
  }

  /** A copy of every parameter of {@code model}, by Keras name in its order, in Keras layout. */
  public static Map<String, float[]> copy(Model model) {
    Map<String, float[]> copy = new LinkedHashMap<>();
    for (Model.Tensor t : model.parameters()) {
      float[] values = new float[t.size()];
      model.readParameter(t.name(), values);
      copy.put(t.name(), values);
    }
    return copy;
  }

  /** The index of the first NaN or infinity in {@code values}, or -1. */
  static int firstNonFinite(float[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) return i;
    }
    return -1;
  }

  /**
   * Replaces the model's parameters with those in {@code file}. Everything is checked before
   * anything is written, so a bad file leaves the model as it was: every parameter must be there,
   * with its exact shape and finite values, and nothing else. float32 is expected; float64 is accepted and rounded
   * to float32.
   *
   * @throws NncDataException listing every problem, each naming the file and the array
   */
  public static void load(Model model, Path file) {
    Map<String, int[]> shapes = new LinkedHashMap<>();
    for (Model.Tensor t : model.parameters()) shapes.put(t.name(), t.shape());
    Map<String, float[]> arrays = read(file, shapes, model.name());
    for (Model.Tensor t : model.parameters()) {
      model.writeParameter(t.name(), arrays.get(t.name()));
    }
  }

  /**
   * The arrays of {@code file} that a model named {@code modelName} needs, {@code expected} giving
   * each one's shape by name, in Keras layout, checked as {@link #load} checks them.
   *
   * @throws NncDataException listing every problem, each naming the file and the array
   */
  public static Map<String, float[]> read(Path file, Map<String, int[]> expected, String modelName) {
    Map<String, NpyArray> arrays = Npz.read(file);
    List<String> problems = new ArrayList<>();
    for (Map.Entry<String, int[]> t : expected.entrySet()) {
      NpyArray a = arrays.get(t.getKey());
      String where = file + ": array '" + t.getKey() + "'";
      if (a == null) {
        problems.add(where + " is missing (the model needs shape " + Text.shape(t.getValue()) + ")");
      } else if (a.type() != NpyType.FLOAT32 && a.type() != NpyType.FLOAT64) {
        problems.add(where + " has dtype " + a.type().numpyName() + ", the model needs float32");
      } else if (!Arrays.equals(a.shape(), t.getValue())) {
        problems.add(where + " has shape " + Text.shape(a.shape()) + ", the model needs " + Text.shape(t.getValue()));
      } else {
        int bad = firstNonFinite(a.data());
        if (bad >= 0) problems.add(where + " holds " + a.data()[bad] + " at index " + Text.count(bad) + "; weights must be finite");
      }
    }
    List<String> names = List.copyOf(expected.keySet());
    for (String name : arrays.keySet()) {
      if (!names.contains(name)) {
        problems.add(file + ": unexpected array '" + name + "'; model " + modelName + " has " + names);
      }
    }
    if (!problems.isEmpty()) {
      throw new NncDataException(String.join(System.lineSeparator(), problems));
    }
    Map<String, float[]> values = new LinkedHashMap<>();
    for (String name : expected.keySet()) values.put(name, arrays.get(name).data());
    return values;
  }
}
