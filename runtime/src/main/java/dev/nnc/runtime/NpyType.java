package dev.nnc.runtime;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The NumPy element types nnc reads and writes, little-endian, under NumPy's {@code descr} codes. */
public enum NpyType {
  FLOAT32("<f4", 4),
  FLOAT64("<f8", 8),
  INT8("|i1", 1),
  UINT8("|u1", 1),
  INT32("<i4", 4),
  INT64("<i8", 8),
  BOOL("|b1", 1);

  private final String descr;
  private final int itemSize;

  NpyType(String descr, int itemSize) {
    this.descr = descr;
    this.itemSize = itemSize;
  }

  /** NumPy's code for the type, as written in a {@code .npy} header ({@code <f4}). */
  public String descr() {
    return descr;
  }

  /** Bytes per element. */
  public int itemSize() {
    return itemSize;
  }

  /** NumPy's name for the type ({@code float32}). */
  public String numpyName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The type with NumPy code {@code descr}; one-byte types may be written with any byte-order
   * mark. Throws with a message naming {@code source} for big-endian or unsupported types.
   */
  static NpyType fromDescr(String descr, String source) {
    String code = descr.length() == 3 ? descr.substring(1) : "";
    char order = descr.isEmpty() ? '?' : descr.charAt(0);
    for (NpyType t : values()) {
      if (!t.descr.substring(1).equals(code)) continue;
      if (t.itemSize == 1 && (order == '|' || order == '<' || order == '>' || order == '=')) return t;
      if (order == '<') return t;
      if (order == '>') {
        throw NncDataException.at(source, "big-endian data ('" + descr + "') is not supported;"
            + " save it little-endian, e.g. np.save(f, a.astype('<" + code + "'))");
      }
    }
    throw NncDataException.at(source, "dtype '" + descr + "' is not supported; supported: "
        + Arrays.stream(values()).map(NpyType::numpyName).collect(Collectors.joining(", ")));
  }
}
