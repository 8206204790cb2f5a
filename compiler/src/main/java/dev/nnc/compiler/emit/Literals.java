package dev.nnc.compiler.emit;

/** Java literals for values the generated code bakes in. */
final class Literals {
  private Literals() {}

  /** The float nearest to {@code value}, as a Java literal ({@code 0.001f}, {@code 1.0E-7f}). */
  static String f(double value) {
    float f = (float) value;
    if (Float.isNaN(f) || Float.isInfinite(f)) {
      throw new IllegalArgumentException("not a finite float: " + value);
    }
    return Float.toString(f) + "f";
  }
}
