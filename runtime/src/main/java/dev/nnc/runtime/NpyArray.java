package dev.nnc.runtime;

/**
 * A NumPy array as nnc uses it: a shape, an element type, and the values as floats (row-major,
 * C order). Integer and boolean arrays (labels) are held as floats too, exact up to 2^24.
 *
 * <p>Holds its {@code float[]} without copying: the caller that builds one hands the array over,
 * and {@link #data()} returns it as it is.
 */
public final class NpyArray {
  private final NpyType type;
  private final int[] shape;
  private final float[] data;

  /**
   * An array of {@code type} with {@code shape} over {@code data} (taken, not copied).
   *
   * @throws IllegalArgumentException if the shape's size is not {@code data.length}
   */
  public NpyArray(NpyType type, int[] shape, float[] data) {
    this.type = java.util.Objects.requireNonNull(type, "type");
    this.shape = shape.clone();
    this.data = java.util.Objects.requireNonNull(data, "data");
    long size = size(this.shape);
    if (size != data.length) {
      throw new IllegalArgumentException("shape " + Text.shape(shape) + " holds " + size
          + " values, but " + data.length + " were given");
    }
  }

  /** A float32 array. */
  public static NpyArray ofFloats(int[] shape, float[] data) {
    return new NpyArray(NpyType.FLOAT32, shape, data);
  }

  /** The element type in the file (reading converts every type to floats). */
  public NpyType type() {
    return type;
  }

  public int[] shape() {
    return shape.clone();
  }

  public int rank() {
    return shape.length;
  }

  /** The values, row-major; the array's own storage. */
  public float[] data() {
    return data;
  }

  /** The number of elements a shape holds (1 for a scalar's {@code []}). */
  /** The number of values of {@code shape}; past what any array holds it saturates rather than wrap around. */
  static long size(int[] shape) {
    long size = 1;
    for (int d : shape) {
      if (d < 0) throw new IllegalArgumentException("negative dimension in " + Text.shape(shape));
      size = Math.min(size * d, Long.MAX_VALUE / Integer.MAX_VALUE);
    }
    return size;
  }
}
