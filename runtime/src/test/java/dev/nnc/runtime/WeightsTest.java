package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WeightsTest {
  @TempDir Path dir;

  private static SoftmaxRegression model(long seed) {
    SoftmaxRegression m = new SoftmaxRegression(4, 3, 2, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0.1f);
    m.initialize(seed);
    m.bias[1] = 0.25f; // a non-zero bias to carry through
    return m;
  }

  private Path npz(Map<String, NpyArray> arrays) {
    Path file = dir.resolve("w.npz");
    Npz.write(file, arrays);
    return file;
  }

  private static Map<String, NpyArray> arraysOf(SoftmaxRegression m) {
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    arrays.put("dense_1/kernel", NpyArray.ofFloats(new int[] {4, 3}, m.kernel.clone()));
    arrays.put("dense_1/bias", NpyArray.ofFloats(new int[] {3}, m.bias.clone()));
    return arrays;
  }

  private static String loadError(Model m, Path file) {
    return assertThrows(NncDataException.class, () -> Weights.load(m, file)).getMessage();
  }

  @Test
  void savesKerasNamedFloat32ArraysAndLoadsThemBack() {
    SoftmaxRegression source = model(1);
    Path file = dir.resolve("w.npz");
    Weights.save(source, file);

    Map<String, NpyArray> saved = Npz.read(file);
    assertEquals(List.of("dense_1/kernel", "dense_1/bias"), List.copyOf(saved.keySet()));
    assertEquals(NpyType.FLOAT32, saved.get("dense_1/kernel").type());
    assertArrayEquals(new int[] {4, 3}, saved.get("dense_1/kernel").shape());
    assertArrayEquals(source.kernel, saved.get("dense_1/kernel").data());

    SoftmaxRegression target = model(2);
    Weights.load(target, file);
    assertArrayEquals(source.kernel, target.kernel);
    assertArrayEquals(source.bias, target.bias);
  }

  @Test
  void acceptsFloat64() {
    Map<String, NpyArray> arrays = arraysOf(model(1));
    float[] bias = {0.5f, -1, 2};
    arrays.put("dense_1/bias", new NpyArray(NpyType.FLOAT64, new int[] {3}, bias));
    SoftmaxRegression target = model(2);
    Weights.load(target, npz(arrays));
    assertArrayEquals(bias, target.bias);
  }

  @Test
  void aWrongShapeIsRejectedAndChangesNothing() {
    SoftmaxRegression target = model(2);
    float[] kernelBefore = target.kernel.clone();
    float[] biasBefore = target.bias.clone();
    Map<String, NpyArray> arrays = arraysOf(model(1)); // the kernel is fine and listed first
    arrays.put("dense_1/bias", NpyArray.ofFloats(new int[] {1, 3}, new float[3]));
    Path file = npz(arrays);
    assertEquals(file + ": array 'dense_1/bias' has shape [1, 3], the model needs [3]", loadError(target, file));
    assertArrayEquals(kernelBefore, target.kernel);
    assertArrayEquals(biasBefore, target.bias);
  }

  @Test
  void reportsEveryProblemNamingFileAndArray() {
    Map<String, NpyArray> arrays = new LinkedHashMap<>();
    arrays.put("dense_1/kernel", new NpyArray(NpyType.INT32, new int[] {4, 3}, new float[12]));
    arrays.put("dense_2/kernel", NpyArray.ofFloats(new int[] {1}, new float[1]));
    Path file = npz(arrays);
    assertEquals(String.join(System.lineSeparator(),
        file + ": array 'dense_1/kernel' has dtype int32, the model needs float32",
        file + ": array 'dense_1/bias' is missing (the model needs shape [3])",
        file + ": unexpected array 'dense_2/kernel'; model Softmax has [dense_1/kernel, dense_1/bias]"),
        loadError(model(1), file));
  }

  @Test
  void aFailedSaveLeavesTheOldFileIntact() throws IOException {
    Path file = dir.resolve("w.npz");
    Weights.save(model(1), file);
    byte[] before = Files.readAllBytes(file);
    SoftmaxRegression broken = new SoftmaxRegression(4, 3, 2, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0.1f) {
      @Override
      public void readParameter(String name, float[] destination) {
        throw new IllegalStateException("cannot read " + name);
      }
    };
    assertThrows(IllegalStateException.class, () -> Weights.save(broken, file));
    assertArrayEquals(before, Files.readAllBytes(file));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void aFileThatIsNotAnArchiveIsNamed() throws IOException {
    Path file = Files.writeString(dir.resolve("w.npz"), "oops");
    assertEquals(file + ": not a valid .npz (zip) archive: zip END header not found", loadError(model(1), file));
  }
}
