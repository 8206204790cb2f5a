package dev.nnc.runtime;

import java.util.Arrays;
import java.util.Locale;

/** Small formatting helpers shared by the messages of this package. */
final class Text {
  private Text() {}

  /** {@code 47040016} → {@code 47,040,016}: long counts in messages are read by people. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** {@code [784, 512]}, as numpy and Keras print shapes. */
  static String shape(int[] shape) {
    return Arrays.toString(shape);
  }
}
