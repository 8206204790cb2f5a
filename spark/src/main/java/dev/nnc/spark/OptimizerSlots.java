package dev.nnc.spark;

import dev.nnc.runtime.Model;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The optimizer state of a generated model class, which {@link Model} does not expose: its slot
 * arrays (RMSprop's velocity, Adam's momentum and velocity, SGD's momentum) and its step count.
 *
 * <p>Found by the generated classes' naming: a parameter field {@code p} has its gradient in
 * {@code pGrad} and its slots in {@code pVelocity} and {@code pMomentum}; the step count is
 * {@code iterations}. Slots stay in the class's own layout (a vector class keeps some kernels in
 * panels), so state read from one class may only be written to the same class; parameter
 * averaging only needs them added and scaled elementwise.
 */
final class OptimizerSlots {
  private static final List<String> SLOT_SUFFIXES = List.of("Velocity", "Momentum");
  private static final Map<Class<?>, OptimizerSlots> BY_CLASS = new HashMap<>();

  private final List<Field> slots;
  private final Field iterations;

  private OptimizerSlots(List<Field> slots, Field iterations) {
    this.slots = List.copyOf(slots);
    this.iterations = iterations;
  }

  /** The slots of {@code type}, looked up once per class. */
  static synchronized OptimizerSlots of(Class<? extends Model> type) {
    return BY_CLASS.computeIfAbsent(type, OptimizerSlots::find);
  }

  private static OptimizerSlots find(Class<?> type) {
    Map<String, Field> arrays = new HashMap<>();
    Field iterations = null;
    for (Field f : type.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers())) continue;
      if (f.getType() == float[].class) arrays.put(f.getName(), f);
      if (f.getType() == long.class && f.getName().equals("iterations")) iterations = f;
    }
    List<Field> slots = new ArrayList<>();
    for (String name : arrays.keySet()) {
      if (!arrays.containsKey(name + "Grad")) continue;
      for (String suffix : SLOT_SUFFIXES) {
        Field slot = arrays.get(name + suffix);
        if (slot != null) slots.add(slot);
      }
    }
    slots.sort(Comparator.comparing(Field::getName));
    // Generated classes live in unnamed modules, which are open: no --add-opens is needed.
    slots.forEach(f -> f.setAccessible(true));
    if (iterations != null) iterations.setAccessible(true);
    return new OptimizerSlots(slots, iterations);
  }

  /** How many slot arrays the class has (0 for plain SGD). */
  int count() {
    return slots.size();
  }

  /** Copies of the model's slot arrays, in a fixed order. */
  float[][] read(Model model) {
    float[][] copies = new float[slots.size()][];
    for (int i = 0; i < copies.length; i++) copies[i] = array(slots.get(i), model).clone();
    return copies;
  }

  /** Replaces the model's slot arrays' contents, in {@link #read}'s order. */
  void write(Model model, float[][] values) {
    if (values.length != slots.size()) {
      throw new IllegalArgumentException(values.length + " slot arrays for a class with " + slots.size());
    }
    for (int i = 0; i < values.length; i++) {
      float[] slot = array(slots.get(i), model);
      System.arraycopy(values[i], 0, slot, 0, slot.length);
    }
  }

  /** The optimizer's step count (0 for a class without one). */
  long iterations(Model model) {
    try {
      return iterations == null ? 0 : iterations.getLong(model);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  void setIterations(Model model, long value) {
    if (iterations == null) return;
    try {
      iterations.setLong(model, value);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  private static float[] array(Field f, Model model) {
    try {
      return (float[]) f.get(model);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }
}
