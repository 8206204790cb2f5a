package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Features held as unsigned bytes are, to everything that reads them, the floats
 * {@code (b & 0xFF) / divisor}: the same values, the same batches, the same training, bit for bit.
 */
class ByteFeaturesTest {
  private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  /** Bytes of any value, or ({@code sparse}) mostly zeros, which the data set holds as its non-zero bytes alone. */
  private static byte[] bytes(int samples, int features, long seed, boolean sparse) {
    return sparse ? PackedBytesTest.sparseBytes(samples, features, 0.2, seed) : randomBytes(samples * features, seed);
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < n; i++) b[i] = (byte) random.nextInt(256);
    return b;
  }

  /** The floats that the byte form stands for, computed as IDX images were read before they stayed bytes. */
  private static float[] asFloats(byte[] bytes, float divisor) {
    float[] f = new float[bytes.length];
    for (int i = 0; i < bytes.length; i++) f[i] = (bytes[i] & 0xFF) / divisor;
    return f;
  }

  private static float[] labels(int n, int classes, long seed) {
    float[] y = new float[n];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < n; i++) y[i] = random.nextInt(classes);
    return y;
  }

  @Test
  void everyByteValueReadsAsItsFloat() {
    byte[] all = new byte[256];
    for (int v = 0; v < 256; v++) all[v] = (byte) v;
    for (float divisor : new float[] {255f, 1f}) {
      Dataset d = Dataset.ofUnsignedBytes(all, 16, new float[16], 1, divisor);
      float[] expected = asFloats(all, divisor);
      assertTrue(d.hasByteFeatures());
      assertArrayEquals(expected, d.features());
      for (int v = 0; v < 256; v++) {
        assertEquals(Float.floatToRawIntBits(expected[v]), Float.floatToRawIntBits(d.feature(v / 16, v % 16)));
      }
    }
    assertEquals(1f, Dataset.ofUnsignedBytes(all, 16, new float[16], 1, 255f).feature(15, 15));
    assertEquals(255f, Dataset.ofUnsignedBytes(all, 16, new float[16], 1, 1f).feature(15, 15));
  }

  @Test
  void copiesWhatItIsGivenAndKeepsBytesThroughSliceAndDescription() {
    byte[] bytes = {1, 2, 3, 4};
    Dataset d = Dataset.ofUnsignedBytes(bytes, 2, new float[] {0, 1}, 1, 1f);
    bytes[0] = 99;
    assertEquals(1f, d.feature(0, 0));
    Dataset tail = d.slice(1, 2).describedAs("tail");
    assertTrue(tail.hasByteFeatures());
    assertArrayEquals(new float[] {3, 4}, tail.features());
    assertEquals("tail", tail.description());
    assertFalse(Dataset.of(new float[] {1, 2}, 1, new float[] {0, 1}, 1).hasByteFeatures());
  }

  /** Sparse bytes, held as their non-zero bytes alone, read as every other byte data set does, through every view of them. */
  @Test
  void sparseBytesReadAsTheirFloatsThroughSlicesAndViews() {
    int n = 31;
    int features = 24;
    byte[] bytes = PackedBytesTest.sparseBytes(n, features, 0.15, 12);
    float[] y = labels(n, 3, 13);
    Dataset d = Dataset.ofUnsignedBytes(bytes, features, y, 1, 255f);
    assertTrue(d.packedBytes() != null && d.byteArray() == null && d.hasByteFeatures());
    float[] expected = asFloats(bytes, 255f);
    assertArrayEquals(expected, d.features());
    for (int s = 0; s < n; s++) {
      for (int k = 0; k < features; k++) assertEquals(expected[s * features + k], d.feature(s, k), s + ", " + k);
    }
    Dataset tail = d.slice(10, 31).describedAs("tail");
    assertTrue(tail.packedBytes() != null);
    assertArrayEquals(Arrays.copyOfRange(expected, 10 * features, 31 * features), tail.features());
    float[] x = new float[2 * features];
    float[] row = new float[2];
    Arrays.fill(x, 5f); // every feature is written, zeros too
    tail.copyRow(3, x, row, 1);
    assertArrayEquals(Arrays.copyOfRange(expected, 13 * features, 14 * features), Arrays.copyOfRange(x, features, 2 * features));
    assertEquals(y[13], row[1]);
    Dataset fitted = Datasets.forModel(new SoftmaxRegression(features, 3, 4, LossKind.CATEGORICAL_CROSSENTROPY, 0.1f), d);
    assertArrayEquals(expected, fitted.features());
    // a dense slice of sparse bytes, and sparse bytes too dense at their start, are held as bytes
    byte[] denseStart = bytes.clone();
    Arrays.fill(denseStart, 0, features, (byte) 1);
    Dataset asBytes = Dataset.ofUnsignedBytes(denseStart, features, y, 1, 255f);
    assertTrue(asBytes.packedBytes() == null && asBytes.byteArray() != null);
    assertTrue(asBytes.slice(1, n).packedBytes() != null, "its slice past the dense sample is sparse");
  }

  @Test
  void rejectsADivisorThatIsNotPositiveAndFinite() {
    for (float bad : new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY}) {
      assertThrows(IllegalArgumentException.class, () -> Dataset.ofUnsignedBytes(new byte[2], 1, new float[2], 1, bad));
    }
  }

  @Test
  void oneHotTargetsKeepTheFeaturesAsBytes() {
    byte[] bytes = randomBytes(6, 3);
    Dataset d = Dataset.ofUnsignedBytes(bytes, 2, new float[] {2, 0, 1}, 1, 255f);
    Dataset fitted = Datasets.forModel(new SoftmaxRegression(2, 3, 4, LossKind.CATEGORICAL_CROSSENTROPY, 0.1f), d);
    assertTrue(fitted.hasByteFeatures());
    assertArrayEquals(asFloats(bytes, 255f), fitted.features());
    assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, fitted.targets());
  }

  /** A model that learns nothing and keeps a copy of every batch it is given, training or evaluating. */
  private static final class RecordingModel extends SoftmaxRegression {
    final List<float[]> batches = new ArrayList<>();

    RecordingModel(int inputs, int classes, int maxBatch) {
      super(inputs, classes, maxBatch, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0f);
    }

    @Override
    public float trainStep(float[] x, float[] y, int n) {
      record(1, x, y, n);
      predict(x, n);
      return 0f;
    }

    @Override
    public float evaluate(float[] x, float[] y, int n) {
      record(2, x, y, n);
      return super.evaluate(x, y, n);
    }

    private void record(int call, float[] x, float[] y, int n) {
      batches.add(new float[] {call, n});
      batches.add(Arrays.copyOf(x, n * inputSize()));
      batches.add(Arrays.copyOf(y, n));
    }
  }

  @ParameterizedTest(name = "sparse={0}")
  @ValueSource(booleans = {false, true})
  void bytesAndFloatsGiveIdenticalBatches(boolean sparse) {
    int n = 53;
    int features = 9;
    byte[] bytes = bytes(n, features, 7, sparse);
    float[] y = labels(n, 4, 8);
    Dataset asBytes = Dataset.ofUnsignedBytes(bytes, features, y, 1, 255f);
    assertEquals(sparse, asBytes.packedBytes() != null, "held as the non-zero bytes");
    Dataset asFloats = Dataset.of(asFloats(bytes, 255f), features, y, 1);
    FitOptions options = new FitOptions(3, 8, 42, true, false, java.util.List.of("accuracy"), FitOptions.Display.PER_EPOCH);

    RecordingModel fromBytes = new RecordingModel(features, 4, 8);
    RecordingModel fromFloats = new RecordingModel(features, 4, 8);
    Trainer.fit(fromBytes, asBytes, asBytes.slice(0, 20), options, QUIET);
    Trainer.fit(fromFloats, asFloats, asFloats.slice(0, 20), options, QUIET);

    assertEquals(fromFloats.batches.size(), fromBytes.batches.size());
    assertTrue(fromBytes.batches.size() > 3 * 7 * 3, "every step and evaluation recorded");
    for (int i = 0; i < fromBytes.batches.size(); i++) {
      assertArrayEquals(fromFloats.batches.get(i), fromBytes.batches.get(i), "batch record " + i);
    }
  }

  @ParameterizedTest(name = "sparse={0}")
  @ValueSource(booleans = {false, true})
  void trainingOnBytesIsTrainingOnTheirFloats(boolean sparse) {
    int n = 300;
    int features = 12;
    byte[] bytes = bytes(n, features, 11, sparse);
    float[] y = new float[n];
    for (int i = 0; i < n; i++) y[i] = (bytes[i * features] & 0xFF) < 128 ? 0 : (bytes[i * features + 1] & 0xFF) < 128 ? 1 : 2;
    Dataset asBytes = Dataset.ofUnsignedBytes(bytes, features, y, 1, 255f);
    assertEquals(sparse, asBytes.packedBytes() != null, "held as the non-zero bytes");
    Dataset asFloats = Dataset.of(asFloats(bytes, 255f), features, y, 1);
    FitOptions options = new FitOptions(4, 32, 5, true, false, java.util.List.of("accuracy"), FitOptions.Display.PER_EPOCH);

    SoftmaxRegression a = new SoftmaxRegression(features, 3, 32, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0.5f);
    SoftmaxRegression b = new SoftmaxRegression(features, 3, 32, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0.5f);
    a.initialize(9);
    b.initialize(9);
    History ha = Trainer.fit(a, asBytes, asBytes.slice(0, 100), options, QUIET);
    History hb = Trainer.fit(b, asFloats, asFloats.slice(0, 100), options, QUIET);

    assertEquals(hb.loss(), ha.loss());
    assertEquals(hb.accuracy(), ha.accuracy());
    assertEquals(hb.valLoss(), ha.valLoss());
    assertArrayEquals(b.kernel, a.kernel);
    assertArrayEquals(b.bias, a.bias);
    assertTrue(ha.loss().get(3) < ha.loss().get(0), "it learned something: " + ha.loss());
    assertEquals(Trainer.evaluate(b, asFloats, 7), Trainer.evaluate(a, asBytes, 7));
  }
}
