package dev.nnc.runtime;

import java.util.Arrays;
import java.util.Optional;

/**
 * Samples of byte features held as their non-zero bytes alone: sample {@code s} is the triples
 * {@code packed[starts[s]] .. packed[starts[s + 1]]}, each a feature's index (low byte, high byte)
 * and its byte, in increasing order of features; every other feature is a zero byte.
 *
 * <p>Images are mostly zeros (81% of MNIST's pixels), and a model whose input layer runs over the
 * non-zero inputs then copies a sample's list into its batch index ({@link Model#trainStepOnPackedBytes})
 * instead of testing every byte of it in every step, tests that are data-dependent branches, which
 * a processor mispredicts about once per run of zeros. Three bytes a non-zero take no more memory
 * than the bytes themselves while at most a third are non-zero, and {@link #packInPlace} packs them
 * into the very array that held them.
 */
public final class PackedBytes {
  /** Bytes a non-zero feature takes: its index, two bytes, then its byte. */
  static final int ENTRY = 3;
  /** Most features a sample may have: an index has two bytes. */
  static final int MOST_FEATURES = 1 << 16;

  private final byte[] packed;
  private final int[] starts;
  private final int featureSize;

  private PackedBytes(byte[] packed, int[] starts, int featureSize) {
    this.packed = packed;
    this.starts = starts;
    this.featureSize = featureSize;
  }

  /**
   * {@code features} (samples of {@code featureSize} bytes, not changed) packed into a new array,
   * or empty when more than a third of them are non-zero or a sample has more than 65,536 features.
   */
  public static Optional<PackedBytes> of(byte[] features, int featureSize) {
    return packInPlace(features.clone(), featureSize);
  }

  /**
   * {@code features} packed in their own array, which then holds the packed form (and past its
   * end, what is left of the bytes); empty, with the array unchanged, when more than a third of
   * them are non-zero anywhere from the first sample on, or a sample has more than 65,536 features.
   */
  static Optional<PackedBytes> packInPlace(byte[] features, int featureSize) {
    if (featureSize < 1 || featureSize > MOST_FEATURES || features.length % featureSize != 0) return Optional.empty();
    int samples = features.length / featureSize;
    int[] starts = new int[samples + 1];
    byte[] entries = new byte[ENTRY * featureSize];
    // Sample s's entries go where the samples before it ended, which is never past s's own first byte: so
    // each sample is still as it was when packed, and bytes not yet packed are never written.
    for (int s = 0; s < samples; s++) {
      int length = pack(features, s * featureSize, featureSize, entries);
      int end = starts[s] + length;
      if (end > (s + 1) * featureSize) {
        unpack(features, starts, s, featureSize);
        return Optional.empty();
      }
      System.arraycopy(entries, 0, features, starts[s], length);
      starts[s + 1] = end;
    }
    return Optional.of(new PackedBytes(features, starts, featureSize));
  }

  /**
   * Packed samples as {@link #packed} and {@link #starts} held them (a kept copy's), taken over
   * without a copy once {@code starts} are checked: from 0, each sample whole entries, at most one
   * a feature, the last ending at the end of {@code packed}. Each entry's feature is checked where
   * it is read.
   *
   * @throws IllegalArgumentException if they are not so
   */
  static PackedBytes wrap(byte[] packed, int[] starts, int featureSize) {
    if (featureSize < 1 || featureSize > MOST_FEATURES || starts.length < 1 || starts[0] != 0
        || starts[starts.length - 1] != packed.length) {
      throw new IllegalArgumentException("starts do not run from 0 to the " + packed.length + " packed bytes");
    }
    for (int s = 0; s + 1 < starts.length; s++) {
      int length = starts[s + 1] - starts[s];
      if (length < 0 || length % ENTRY != 0 || length > ENTRY * featureSize) {
        throw new IllegalArgumentException("sample " + s + ": starts name " + length + " bytes, not whole entries, at most one for each of "
            + featureSize + " features");
      }
    }
    return new PackedBytes(packed, starts, featureSize);
  }

  // One sample a call: the JIT compiles a method called many times, where a loop over all samples in one call
  // waits for on-stack replacement (which nnc's launcher turns off for training) and runs interpreted.

  /** Writes the entries of the non-zero bytes among {@code count} from {@code from} into {@code entries}; returns their length. */
  private static int pack(byte[] features, int from, int count, byte[] entries) {
    int p = 0;
    for (int k = 0; k < count; k++) {
      byte b = features[from + k];
      if (b != 0) {
        entries[p] = (byte) k;
        entries[p + 1] = (byte) (k >>> 8);
        entries[p + 2] = b;
        p += ENTRY;
      }
    }
    return p;
  }

  /**
   * Puts the first {@code samples} samples, packed in place, back as their bytes: the last first, so
   * that a sample's bytes, which may cover the entries of the samples after it, are written when those
   * are no longer needed, and never over the entries of the samples before it, which end before them.
   */
  private static void unpack(byte[] features, int[] starts, int samples, int featureSize) {
    for (int s = samples - 1; s >= 0; s--) {
      byte[] entries = Arrays.copyOfRange(features, starts[s], starts[s + 1]);
      Arrays.fill(features, s * featureSize, (s + 1) * featureSize, (byte) 0);
      for (int p = 0; p < entries.length; p += ENTRY) {
        features[s * featureSize + featureAt(entries, p)] = entries[p + 2];
      }
    }
  }

  /** Samples held. */
  public int size() {
    return starts.length - 1;
  }

  /** Features in each sample. */
  public int featureSize() {
    return featureSize;
  }

  /** The non-zero features of all samples. */
  public long nonZeros() {
    return starts[starts.length - 1] / ENTRY;
  }

  /**
   * The entries, sample after sample, as the class comment describes them: the array itself, which
   * models read without a copy, so not to be changed. It may be longer than the entries.
   */
  public byte[] packed() {
    return packed;
  }

  /** Where each sample's entries start in {@link #packed}, and after the last sample where they end: the array itself, not to be changed. */
  public int[] starts() {
    return starts;
  }

  /** The byte of feature {@code feature} of sample {@code sample} (0 unless the sample lists it). */
  byte byteAt(int sample, int feature) {
    int lo = starts[sample] / ENTRY, hi = starts[sample + 1] / ENTRY - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int k = featureAt(packed, mid * ENTRY);
      if (k == feature) return packed[mid * ENTRY + 2];
      if (k < feature) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  /** Sample {@code sample}'s features as floats (byte {@code b} standing for {@code values[b & 0xFF]}) into {@code to} at {@code at}. */
  void decode(int sample, float[] values, float[] to, int at) {
    decode(packed, starts, sample, featureSize, values, to, at);
  }

  /**
   * Sample {@code sample} of {@code packed} and {@code starts} (as {@link #packed} and {@link #starts}
   * hold them), {@code featureSize} features, as floats into {@code to} at {@code at}.
   *
   * @throws IllegalArgumentException if the sample is not there, or its entries are not whole, more than
   *     {@code featureSize}, or name a feature past it
   */
  static void decode(byte[] packed, int[] starts, int sample, int featureSize, float[] values, float[] to, int at) {
    if (sample < 0 || sample >= starts.length - 1) {
      throw new IllegalArgumentException("sample " + sample + " is not among the " + (starts.length - 1) + " that starts hold");
    }
    int start = starts[sample], end = starts[sample + 1];
    if (start < 0 || start > end || end > packed.length || (end - start) % ENTRY != 0 || end - start > ENTRY * featureSize) {
      throw new IllegalArgumentException("sample " + sample + ": starts name bytes " + start + " to " + end
          + ", not whole entries, at most one for each of " + featureSize + " features, of the " + packed.length
          + " packed bytes");
    }
    Arrays.fill(to, at, at + featureSize, values[0]);
    for (int p = start; p < end; p += ENTRY) {
      int k = featureAt(packed, p);
      if (k >= featureSize) {
        throw new IllegalArgumentException("sample " + sample + " lists feature " + k + " of " + featureSize);
      }
      to[at + k] = values[packed[p + 2] & 0xFF];
    }
  }

  /** Samples {@code from} (inclusive) to {@code to} (exclusive), copied. */
  PackedBytes slice(int from, int to) {
    int[] sliced = new int[to - from + 1];
    for (int s = from; s <= to; s++) sliced[s - from] = starts[s] - starts[from];
    return new PackedBytes(Arrays.copyOfRange(packed, starts[from], starts[to]), sliced, featureSize);
  }

  /** The feature of the entry at {@code p} of {@code entries}. */
  static int featureAt(byte[] entries, int p) {
    return (entries[p] & 0xFF) | (entries[p + 1] & 0xFF) << 8;
  }
}
