package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
  @TempDir Path dir;

  private Path npy(String name, NpyType type, int[] shape, float... values) {
    Path file = dir.resolve(name);
    Npy.write(file, new NpyArray(type, shape, values));
    return file;
  }

  @Test
  void flattensEachSampleOfAnImageArray() {
    Path x = npy("x.npy", NpyType.UINT8, new int[] {2, 2, 2}, 1, 2, 3, 4, 5, 6, 7, 8);
    Path y = npy("y.npy", NpyType.INT64, new int[] {2}, 1, 0);
    Dataset d = Datasets.fromNpy(x, y);
    assertEquals(2, d.size());
    assertEquals(4, d.featureSize());
    assertEquals(1, d.targetSize());
    assertEquals(5 / 255f, d.feature(1, 0));
    assertEquals(1f, d.target(0, 0));
    assertEquals("x.npy + y.npy", d.description());
  }

  @Test
  void uint8FeaturesArePixelsScaledToTheUnitIntervalAsIdxImagesAre() throws Exception {
    Path x = npy("x.npy", NpyType.UINT8, new int[] {2, 3}, 0, 7, 255, 128, 1, 254);
    Path y = npy("y.npy", NpyType.UINT8, new int[] {2}, 1, 0);
    Dataset d = Datasets.fromNpy(x, y);
    assertTrue(d.hasByteFeatures());
    assertArrayEquals(new float[] {0, 7 / 255f, 1, 128 / 255f, 1 / 255f, 254 / 255f}, d.features());
    assertEquals(java.util.Optional.of("uint8 pixels scaled to [0, 1] (divided by 255)"), d.featureScaling());
    assertArrayEquals(new float[] {1, 0}, d.targets(), "labels are never scaled");

    // The same bytes as an IDX image file give the same floats.
    Path images = idxImages(0, 7, 255, 128, 1, 254);
    Path labels = idxLabels(1, 0);
    assertArrayEquals(Datasets.fromIdx(images, labels).features(), d.features());
    assertEquals(d.featureScaling(), Datasets.fromIdx(images, labels).featureScaling());
  }

  @Test
  void scalingNoneKeepsUint8ValuesAndOtherTypesAreNeverScaled() throws Exception {
    Path x = npy("x.npy", NpyType.UINT8, new int[] {2, 3}, 0, 7, 255, 128, 1, 254);
    Path y = npy("y.npy", NpyType.UINT8, new int[] {2}, 1, 0);
    Dataset kept = Datasets.fromNpy(x, y, FeatureScaling.NONE);
    assertTrue(kept.hasByteFeatures());
    assertArrayEquals(new float[] {0, 7, 255, 128, 1, 254}, kept.features());
    assertArrayEquals(Npy.read(x).data(), kept.features());
    assertEquals(java.util.Optional.of("uint8 values kept as 0-255"), kept.featureScaling());

    Path floats = npy("f.npy", NpyType.FLOAT32, new int[] {2, 3}, 0, 7, 255, 128, 1, 254);
    Path doubles = npy("d.npy", NpyType.FLOAT64, new int[] {2, 3}, 0, 7, 255, 128, 1, 254);
    for (Path f : new Path[] {floats, doubles}) {
      Dataset d = Datasets.fromNpy(f, y);
      assertFalse(d.hasByteFeatures());
      assertArrayEquals(new float[] {0, 7, 255, 128, 1, 254}, d.features(), "floats are never scaled");
      assertEquals(java.util.Optional.empty(), d.featureScaling());
    }
    Path longs = npy("l.npy", NpyType.INT64, new int[] {2, 3}, 0, 7, 255, 128, 1, 254);
    Dataset d = Datasets.fromNpy(longs, y);
    assertArrayEquals(new float[] {0, 7, 255, 128, 1, 254}, d.features());
    assertEquals(java.util.Optional.of("int64 values taken as they are (only uint8 is scaled)"), d.featureScaling());

    assertArrayEquals(new float[] {0, 7, 255, 128, 1, 254},
        Datasets.fromIdx(idxImages(0, 7, 255, 128, 1, 254), idxLabels(1, 0), FeatureScaling.NONE).features());
  }

  @Test
  void featuresAloneAreReadAndScaledByTheSameRule() {
    Path x = npy("x.npy", NpyType.UINT8, new int[] {2, 1, 3}, 0, 7, 255, 128, 1, 254);
    Dataset d = Datasets.featuresFromNpy(x, FeatureScaling.UINT8_TO_UNIT);
    assertEquals(2, d.size());
    assertEquals(3, d.featureSize());
    assertArrayEquals(Datasets.fromNpy(x, npy("y.npy", NpyType.UINT8, new int[] {2}, 1, 0)).features(), d.features());
    assertArrayEquals(new float[] {0, 7, 255, 128, 1, 254}, Datasets.featuresFromNpy(x, FeatureScaling.NONE).features());
    Path flat = npy("flat.npy", NpyType.FLOAT32, new int[] {3}, 1, 2, 3);
    assertEquals(flat + ": has shape [3]; features need [samples, features...]",
        assertThrows(NncDataException.class, () -> Datasets.featuresFromNpy(flat, FeatureScaling.NONE)).getMessage());
  }

  /** An IDX image file of {@code pixels.length / 3} images of 1 x 3. */
  private Path idxImages(int... pixels) throws Exception {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(16 + pixels.length).putInt(0x803).putInt(pixels.length / 3)
        .putInt(1).putInt(3);
    for (int p : pixels) b.put((byte) p);
    return java.nio.file.Files.write(dir.resolve("i-idx3-ubyte"), b.array());
  }

  private Path idxLabels(int... labels) throws Exception {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 + labels.length).putInt(0x801).putInt(labels.length);
    for (int l : labels) b.put((byte) l);
    return java.nio.file.Files.write(dir.resolve("l-idx1-ubyte"), b.array());
  }

  @Test
  void reportsTruncatedUint8FeaturesAsOtherTypes() throws Exception {
    Path x = npy("x.npy", NpyType.UINT8, new int[] {2, 3}, 0, 7, 255, 128, 1, 254);
    byte[] whole = java.nio.file.Files.readAllBytes(x);
    Path cut = java.nio.file.Files.write(dir.resolve("cut.npy"), java.util.Arrays.copyOf(whole, whole.length - 2));
    Path longer = java.nio.file.Files.write(dir.resolve("long.npy"), java.util.Arrays.copyOf(whole, whole.length + 1));
    Path y = npy("y.npy", NpyType.UINT8, new int[] {2}, 1, 0);
    assertEquals(cut + ": truncated at byte " + (whole.length - 2) + ": shape [2, 3] of uint8 needs " + whole.length + " bytes",
        assertThrows(NncDataException.class, () -> Datasets.fromNpy(cut, y)).getMessage());
    assertEquals(cut + ": truncated at byte " + (whole.length - 2) + ": shape [2, 3] of uint8 needs " + whole.length + " bytes",
        assertThrows(NncDataException.class, () -> Npy.read(cut)).getMessage());
    assertEquals(longer + ": unexpected bytes after the data: shape [2, 3] of uint8 needs exactly " + whole.length + " bytes",
        assertThrows(NncDataException.class, () -> Datasets.fromNpy(longer, y)).getMessage());
  }

  @Test
  void takesTwoDimensionalTargets() {
    Path x = npy("x.npy", NpyType.FLOAT32, new int[] {2, 1}, 1, 2);
    Path y = npy("y.npy", NpyType.FLOAT64, new int[] {2, 3}, 0, 1, 0, 1, 0, 0);
    Dataset d = Datasets.fromNpy(x, y);
    assertEquals(3, d.targetSize());
    assertArrayEquals(new float[] {0, 1, 0, 1, 0, 0}, d.targets());
  }

  @Test
  void rejectsMismatchedOrMisshapenArrays() {
    Path x = npy("x.npy", NpyType.FLOAT32, new int[] {3, 1}, 1, 2, 3);
    Path y2 = npy("y2.npy", NpyType.INT32, new int[] {2}, 1, 0);
    assertEquals(y2 + ": 2 samples, but " + x + " has 3",
        assertThrows(NncDataException.class, () -> Datasets.fromNpy(x, y2)).getMessage());
    Path flat = npy("flat.npy", NpyType.FLOAT32, new int[] {3}, 1, 2, 3);
    assertEquals(flat + ": has shape [3]; features need [samples, features...]",
        assertThrows(NncDataException.class, () -> Datasets.fromNpy(flat, y2)).getMessage());
  }

  @Test
  void isImmutable() {
    float[] features = {1, 2};
    Dataset d = Dataset.of(features, 1, new float[] {0, 1}, 1);
    features[0] = 99;
    d.features()[1] = 99;
    assertArrayEquals(new float[] {1, 2}, d.features());
    assertEquals(1, d.slice(1, 2).size());
    assertEquals(2f, d.slice(1, 2).feature(0, 0));
  }

  @Test
  void aDatasetThatFitsIsReturnedAsItIs() {
    Dataset d = Dataset.of(new float[] {1, 2, 3, 4}, 2, new float[] {0, 2}, 1);
    assertSame(d, Datasets.forModel(new SoftmaxRegression(2, 3, 4, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0.1f), d));
  }

  @Test
  void namesBothSizesWhenTheFeaturesDoNotFit() {
    Dataset d = Dataset.of(new float[6], 3, new float[] {0, 1}, 1).describedAs("x.npy + y.npy");
    NncDataException e = assertThrows(NncDataException.class,
        () -> Datasets.forModel(new SoftmaxRegression(784, 10, 4, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0.1f), d));
    assertEquals("x.npy + y.npy: 3 features per sample, but model Softmax takes 784", e.getMessage());
  }

  @Test
  void turnsClassIndicesIntoOneHotForCategoricalModels() {
    Dataset d = Dataset.of(new float[] {1, 2}, 1, new float[] {2, 0}, 1);
    Dataset fitted = Datasets.forModel(new SoftmaxRegression(1, 3, 4, LossKind.CATEGORICAL_CROSSENTROPY, 0.1f), d);
    assertEquals(3, fitted.targetSize());
    assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0}, fitted.targets());
    assertArrayEquals(d.features(), fitted.features());
  }

  @Test
  void rejectsLabelsOutsideTheClasses() {
    Model model = new SoftmaxRegression(1, 3, 4, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0.1f);
    NncDataException high = assertThrows(NncDataException.class,
        () -> Datasets.forModel(model, Dataset.of(new float[] {1, 2}, 1, new float[] {0, 3}, 1)));
    assertEquals("data: label 3 of sample 1 is not a class index in [0, 3)", high.getMessage());
    NncDataException fraction = assertThrows(NncDataException.class,
        () -> Datasets.forModel(model, Dataset.of(new float[] {1}, 1, new float[] {0.5f}, 1)));
    assertEquals("data: label 0.5 of sample 0 is not a class index in [0, 3)", fraction.getMessage());
  }

  @Test
  void rejectsOneHotTargetsForASparseModelAndWrongWidths() {
    Dataset oneHot = Dataset.of(new float[] {1}, 1, new float[] {0, 1, 0}, 3);
    assertEquals("data: 3 target values per sample, but model Softmax (loss sparse_categorical_crossentropy) takes"
        + " one class index per sample; for one-hot targets use categorical cross-entropy",
        assertThrows(NncDataException.class, () -> Datasets.forModel(
            new SoftmaxRegression(1, 3, 4, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0.1f), oneHot)).getMessage());
    assertEquals("data: 3 target values per sample, but model Softmax has 4 outputs",
        assertThrows(NncDataException.class, () -> Datasets.forModel(
            new SoftmaxRegression(1, 4, 4, LossKind.CATEGORICAL_CROSSENTROPY, 0.1f), oneHot)).getMessage());
  }
}
