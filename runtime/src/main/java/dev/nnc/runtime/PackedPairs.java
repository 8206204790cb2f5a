package dev.nnc.runtime;

import java.util.Arrays;

/**
 * Samples of byte features held as the pairs of adjacent features ({@code 2j}, {@code 2j + 1}) of
 * which either is non-zero: sample {@code s} is the entries {@code entries[starts[s]] ..
 * entries[starts[s + 1]]}, in increasing order of pairs, each one {@code int}: the pair {@code j}
 * in its low 16 bits, feature {@code 2j}'s byte in bits 16-23 and feature {@code 2j + 1}'s in bits
 * 24-31 (zero past the last feature of an odd number). Every other feature is a zero byte.
 *
 * <p>It is {@link PackedBytes} as a model whose input layer runs over pairs of features indexes a
 * batch ({@link Model#trainStepOnPackedPairs}): one entry a pair instead of one a feature, whole
 * and in order, so that the step scatters each entry to its pair's place with no test of the next
 * feature and no copy in between. On MNIST a sample has 88 entries for its 150 non-zero bytes,
 * and the training set's entries take 21 MB.
 */
public final class PackedPairs {
  /** Most pairs a sample may have: an entry's pair has 16 bits. */
  static final int MOST_PAIRS = 1 << 16;

  private final int[] entries;
  private final int[] starts;
  private final int featureSize;

  private PackedPairs(int[] entries, int[] starts, int featureSize) {
    this.entries = entries;
    this.starts = starts;
    this.featureSize = featureSize;
  }

  /**
   * The pairs of {@code packed}'s samples.
   *
   * @throws IllegalArgumentException if a sample lists a feature past its size, or its features out of order
   */
  public static PackedPairs of(PackedBytes packed) {
    byte[] bytes = packed.packed();
    int[] byteStarts = packed.starts();
    int featureSize = packed.featureSize();
    if ((featureSize + 1) / 2 > MOST_PAIRS) {
      throw new IllegalArgumentException(featureSize + " features make more than " + MOST_PAIRS + " pairs");
    }
    int samples = packed.size();
    // their number first, so that the entries take no more memory than they need (MNIST's training set: 21 MB
    // instead of the 36 MB its non-zero features would take)
    int[] starts = new int[samples + 1];
    for (int s = 0; s < samples; s++) starts[s + 1] = starts[s] + pairCount(bytes, byteStarts[s], byteStarts[s + 1], featureSize, s);
    int[] entries = new int[starts[samples]];
    for (int s = 0; s < samples; s++) pairSample(bytes, byteStarts[s], byteStarts[s + 1], entries, starts[s]);
    return new PackedPairs(entries, starts, featureSize);
  }

  /**
   * Pairs as {@link #entries} and {@link #starts} held them (a kept copy's), taken over without a copy once
   * {@code starts} are checked: from 0, each sample at most one entry a pair, the last ending at the end of
   * {@code entries}. Each entry's pair is checked where it is read.
   *
   * @throws IllegalArgumentException if they are not so
   */
  static PackedPairs wrap(int[] entries, int[] starts, int featureSize) {
    int pairs = (featureSize + 1) / 2;
    if (featureSize < 1 || pairs > MOST_PAIRS || starts.length < 1 || starts[0] != 0 || starts[starts.length - 1] != entries.length) {
      throw new IllegalArgumentException("starts do not run from 0 to the " + entries.length + " entries");
    }
    for (int s = 0; s + 1 < starts.length; s++) {
      int length = starts[s + 1] - starts[s];
      if (length < 0 || length > pairs) {
        throw new IllegalArgumentException("sample " + s + ": starts name " + length + " entries, not at most one for each of "
            + pairs + " pairs of features");
      }
    }
    return new PackedPairs(entries, starts, featureSize);
  }

  // One sample a call: the JIT compiles a method called many times, where a loop over all samples in one call
  // waits for on-stack replacement (which nnc's launcher turns off for training) and runs interpreted.

  /**
   * The pairs of sample {@code sample}, its packed bytes from {@code from} to {@code to}: its features, less
   * each odd one right after its even one, which shares that one's entry.
   *
   * @throws IllegalArgumentException if it lists a feature past {@code featureSize}, or its features out of order
   */
  private static int pairCount(byte[] bytes, int from, int to, int featureSize, int sample) {
    int count = 0, last = -1;
    for (int p = from; p < to; p += PackedBytes.ENTRY) {
      int k = PackedBytes.featureAt(bytes, p);
      if (k >= featureSize || k <= last) {
        throw new IllegalArgumentException("sample " + sample + " lists feature " + k
            + (k >= featureSize ? " of " + featureSize : " after feature " + last));
      }
      count += joinsEntryBefore(k, last) ? 0 : 1;
      last = k;
    }
    return count;
  }

  /** Writes the entries of a sample's packed bytes from {@code from} to {@code to} (checked by {@link #pairCount}) at {@code at}. */
  private static void pairSample(byte[] bytes, int from, int to, int[] entries, int at) {
    int last = -1;
    at--;
    for (int p = from; p < to; p += PackedBytes.ENTRY) {
      int k = PackedBytes.featureAt(bytes, p);
      // An odd feature right after its even one joins that one's entry, else it starts its own: without a branch,
      // which would be mispredicted at about every other stroke's edge.
      int joins = joinsEntryBefore(k, last) ? 1 : 0;
      at += 1 - joins;
      entries[at] = (entries[at] & -joins) | k >> 1 | (bytes[p + 2] & 0xFF) << (16 + ((k & 1) << 3));
      last = k;
    }
  }

  /** Whether feature {@code k}, listed right after feature {@code last}, is the odd one of its pair and shares that one's entry. */
  private static boolean joinsEntryBefore(int k, int last) {
    return (k & 1) == 1 && last == k - 1;
  }

  /** Samples held. */
  public int size() {
    return starts.length - 1;
  }

  /** Features in each sample. */
  public int featureSize() {
    return featureSize;
  }

  /** The entries, sample after sample, as the class comment describes them: the array itself, which models read without a copy, so not to be changed. */
  public int[] entries() {
    return entries;
  }

  /** Where each sample's entries start in {@link #entries}, and after the last sample where they end: the array itself, not to be changed. */
  public int[] starts() {
    return starts;
  }

  /**
   * Sample {@code sample} of {@code entries} and {@code starts} (as {@link #entries} and {@link #starts}
   * hold them), {@code featureSize} features, as floats into {@code to} at {@code at}: byte {@code b}
   * standing for {@code values[b]}.
   *
   * @throws IllegalArgumentException if the sample is not there, or its entries are more than its pairs or
   *     name a pair or feature past {@code featureSize}
   */
  static void decode(int[] entries, int[] starts, int sample, int featureSize, float[] values, float[] to, int at) {
    int pairs = (featureSize + 1) / 2;
    if (sample < 0 || sample >= starts.length - 1) {
      throw new IllegalArgumentException("sample " + sample + " is not among the " + (starts.length - 1) + " that starts hold");
    }
    int start = starts[sample], end = starts[sample + 1];
    if (start < 0 || start > end || end > entries.length || end - start > pairs) {
      throw new IllegalArgumentException("sample " + sample + ": starts name entries " + start + " to " + end
          + ", at most one for each of " + pairs + " pairs of features, of the " + entries.length + " entries");
    }
    Arrays.fill(to, at, at + featureSize, values[0]);
    for (int p = start; p < end; p++) {
      int entry = entries[p], j = entry & 0xFFFF, odd = entry >>> 24;
      if (j >= pairs || (2 * j + 1 == featureSize && odd != 0)) {
        throw new IllegalArgumentException("sample " + sample + " lists pair " + j + " of " + featureSize + " features");
      }
      to[at + 2 * j] = values[entry >>> 16 & 0xFF];
      if (2 * j + 1 < featureSize) to[at + 2 * j + 1] = values[odd];
    }
  }
}
