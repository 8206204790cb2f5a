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
    assertEquals(5f, d.feature(1, 0));
    assertEquals(1f, d.target(0, 0));
    assertEquals("x.npy + y.npy", d.description());
  }

  @Test
  void keepsUint8FeaturesAsBytesWithTheirValuesAsTheyAre() {
    Path x = npy("x.npy", NpyType.UINT8, new int[] {2, 3}, 0, 7, 255, 128, 1, 254);
    Path y = npy("y.npy", NpyType.UINT8, new int[] {2}, 1, 0);
    Dataset d = Datasets.fromNpy(x, y);
    assertTrue(d.hasByteFeatures());
    assertArrayEquals(new float[] {0, 7, 255, 128, 1, 254}, d.features());
    assertArrayEquals(Npy.read(x).data(), d.features());
    Path floats = npy("f.npy", NpyType.FLOAT32, new int[] {2, 3}, 0, 7, 255, 128, 1, 254);
    assertFalse(Datasets.fromNpy(floats, y).hasByteFeatures());
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
