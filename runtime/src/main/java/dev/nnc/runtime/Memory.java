package dev.nnc.runtime;

import java.util.Locale;

/**
 * What the JVM's heap can still hold, asked before a large allocation, so that data or a model
 * too big for it is the user's error (with the bytes needed, the heap available and how to raise
 * it) rather than an {@code OutOfMemoryError} part way.
 */
public final class Memory {
  private Memory() {}

  /** Allocations below this are not checked: the check itself is not free. */
  private static final long CHECKED_FROM = 16L << 20;

  /**
   * Throws unless the heap can take {@code bytes} more.
   *
   * @param what what needs them, in the message ({@code "x.npy: shape [60000, 784] of float32"})
   * @throws NncDataException "WHAT needs N bytes, but the heap has M available; ..."
   */
  public static void require(long bytes, String what) {
    if (bytes < CHECKED_FROM || bytes <= available()) return;
    System.gc(); // only when it looks too big: what is garbage may be enough
    long available = available();
    if (bytes <= available) return;
    throw new NncDataException(what + " needs " + bytes(bytes) + ", but the Java heap has " + bytes(available)
        + " available (at most " + bytes(Runtime.getRuntime().maxMemory()) + "); give Java more, e.g. JAVA_OPTS=-Xmx"
        + suggestedGigabytes(bytes) + "g, or use less data or a smaller model");
  }

  /** Bytes the heap can still grow into: the maximum less what is in use. */
  public static long available() {
    Runtime r = Runtime.getRuntime();
    return r.maxMemory() - (r.totalMemory() - r.freeMemory());
  }

  /** {@code 6,400,000,000 bytes (6.0 GiB)}. */
  public static String bytes(long n) {
    return String.format(Locale.ROOT, "%,d bytes (%.1f GiB)", n, n / (double) (1L << 30));
  }

  private static long suggestedGigabytes(long bytes) {
    long used = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    return Math.max(1, (long) Math.ceil((bytes + used) * 1.25 / (1L << 30)));
  }
}
