package dev.nnc.runtime;

/**
 * The contents of one IDX file of unsigned bytes: its dimensions and its values, row-major.
 * Holds its bytes without copying them; read it, do not change it.
 */
public final class IdxArray {
  private final int[] shape;
  private final byte[] values;

  IdxArray(int[] shape, byte[] values) {
    this.shape = shape.clone();
    this.values = values;
  }

  /** The dimensions from the header: {@code [60000, 28, 28]} or {@code [60000]}. */
  public int[] shape() {
    return shape.clone();
  }

  /** The first dimension: the number of samples. */
  public int count() {
    return shape[0];
  }

  /** Values per sample: the product of the dimensions after the first ({@code 784}; 1 for labels). */
  public int sampleSize() {
    int size = 1;
    for (int i = 1; i < shape.length; i++) size *= shape[i];
    return size;
  }

  /** The values as floats in [0, 1] (each byte / 255), as images are fed to a network. */
  public float[] toUnitFloats() {
    float[] out = new float[values.length];
    for (int i = 0; i < out.length; i++) out[i] = (values[i] & 0xFF) / 255f;
    return out;
  }

  /** The bytes themselves, not copied: for this package's loaders, which hand them over. */
  byte[] bytes() {
    return values;
  }

  /** The values as ints 0–255, as labels are. */
  public int[] toInts() {
    int[] out = new int[values.length];
    for (int i = 0; i < out.length; i++) out[i] = values[i] & 0xFF;
    return out;
  }
}
