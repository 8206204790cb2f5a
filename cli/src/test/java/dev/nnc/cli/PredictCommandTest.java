package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.runtime.Npy;
import dev.nnc.runtime.NpyArray;
import dev.nnc.runtime.NpyType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nnc predict} and {@code nnc compile --inference} on a small trained model. */
class PredictCommandTest {

  @TempDir
  Path dir;

  Path model;
  Path x;
  Path y;
  Path weights;

  @BeforeEach
  void trainBlobs() {
    model = write("blobs.nn", Models.BLOBS);
    x = dir.resolve("x.npy");
    y = dir.resolve("y.npy");
    SplittableRandom random = new SplittableRandom(3);
    int n = 300;
    float[] points = new float[n * 2];
    float[] classes = new float[n];
    for (int i = 0; i < n; i++) {
      classes[i] = random.nextInt(2);
      float center = classes[i] == 0 ? -1.5f : 1.5f;
      points[2 * i] = center + (float) random.nextDouble() - 0.5f;
      points[2 * i + 1] = center + (float) random.nextDouble() - 0.5f;
    }
    Npy.write(x, NpyArray.ofFloats(new int[] {n, 2}, points));
    Npy.write(y, NpyArray.ofFloats(new int[] {n}, classes));
    weights = dir.resolve("blobs.npz");
    Cli train = Cli.run("train", model.toString(), "--x", x.toString(), "--y", y.toString(), "--save", weights.toString());
    assertEquals(0, train.exitCode(), train::toString);
  }

  @Test
  void writesProbabilitiesOrClassesAndPrintsTheAccuracyWithLabels() {
    Path probabilities = dir.resolve("p.npy");
    Cli withoutLabels = Cli.run("predict", model.toString(), "--weights", weights.toString(), "--x", x.toString(),
        "--out", probabilities.toString());
    assertEquals(0, withoutLabels.exitCode(), withoutLabels::toString);
    assertEquals("300 predictions of 2 values written to " + probabilities + "\n", withoutLabels.out());
    NpyArray p = Npy.read(probabilities);
    assertEquals(NpyType.FLOAT32, p.type());
    assertArrayEquals(new int[] {300, 2}, p.shape());
    for (int i = 0; i < 300; i++) assertEquals(1f, p.data()[2 * i] + p.data()[2 * i + 1], 1e-5f);

    Path classes = dir.resolve("c.npy");
    Cli withLabels = Cli.run("predict", model.toString(), "--weights", weights.toString(), "--x", x.toString(),
        "--y", y.toString(), "--out", classes.toString(), "--classes");
    assertEquals(0, withLabels.exitCode(), withLabels::toString);
    NpyArray c = Npy.read(classes);
    assertEquals(NpyType.INT64, c.type());
    assertArrayEquals(new int[] {300}, c.shape());
    float[] labels = Npy.read(y).data();
    int correct = 0;
    for (int i = 0; i < 300; i++) {
      assertEquals(p.data()[2 * i + 1] > p.data()[2 * i] ? 1f : 0f, c.data()[i], "sample " + i);
      if (c.data()[i] == labels[i]) correct++;
    }
    Cli eval = Cli.run("eval", model.toString(), "--weights", weights.toString(), "--x", x.toString(), "--y", y.toString());
    assertTrue(withLabels.out().endsWith(eval.out()), withLabels + "\n" + eval);
    assertTrue(eval.out().startsWith(String.format(java.util.Locale.ROOT, "accuracy: %.4f", correct / 300.0)), eval::toString);
  }

  @Test
  void predictNeedsSamplesAndRefusesOnesThatDoNotFit() {
    Cli none = Cli.run("predict", model.toString(), "--weights", weights.toString(), "--out", dir.resolve("p.npy").toString());
    assertEquals(ExitCodes.USAGE, none.exitCode(), none::toString);
    assertTrue(none.err().contains("give the samples: --x X.npy or --data DIR"), none::toString);

    Path wide = dir.resolve("wide.npy");
    Npy.write(wide, NpyArray.ofFloats(new int[] {2, 3}, new float[6]));
    Cli wrong = Cli.run("predict", model.toString(), "--weights", weights.toString(), "--x", wide.toString(),
        "--out", dir.resolve("p.npy").toString());
    assertEquals(ExitCodes.INPUT_ERROR, wrong.exitCode(), wrong::toString);
    assertTrue(wrong.err().contains(wide + ": has shape [2, 3]; model Blobs takes [samples, 2]"), wrong::toString);
    assertFalse(wrong.showsStackTrace(), wrong::toString);
    assertFalse(Files.exists(dir.resolve("p.npy")));

    Cli folder = Cli.run("predict", model.toString(), "--weights", weights.toString(), "--x", x.toString(),
        "--out", dir.toString());
    assertEquals(ExitCodes.INPUT_ERROR, folder.exitCode(), folder::toString);
    assertTrue(folder.err().contains(dir + ": is a folder; name a file to write"), folder::toString);
  }

  @Test
  void compileInferenceWritesAPredictorThatAgreesWithPredict() throws Exception {
    Path out = dir.resolve("gen");
    Cli compile = Cli.run("compile", "--inference", "--weights", weights.toString(), "-d", out.toString(), "-p", "demo",
        model.toString());
    assertEquals(0, compile.exitCode(), compile::toString);
    assertEquals("", compile.out() + compile.err());
    Path java = out.resolve("demo/BlobsPredictor.java");
    Path resource = out.resolve("demo/BlobsPredictor.weights");
    assertTrue(Files.isRegularFile(java) && Files.isRegularFile(resource), compile::toString);
    assertEquals((2 * 16 + 16 + 16 * 2 + 2) * 4, Files.size(resource));

    Map<String, byte[]> classes = InMemoryCompiler.forRuntime().compile(Map.of("demo.BlobsPredictor", Files.readString(java)));
    Path classFolder = dir.resolve("classes");
    for (Map.Entry<String, byte[]> e : classes.entrySet()) {
      Path file = classFolder.resolve(e.getKey().replace('.', '/') + ".class");
      Files.createDirectories(file.getParent());
      Files.write(file, e.getValue());
    }
    Files.copy(resource, classFolder.resolve("demo/BlobsPredictor.weights"));
    Path probabilities = dir.resolve("p.npy");
    assertEquals(0, Cli.run("predict", model.toString(), "--weights", weights.toString(), "--x", x.toString(),
        "--out", probabilities.toString()).exitCode());
    float[] expected = Npy.read(probabilities).data();
    float[] samples = Npy.read(x).data();
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classFolder.toUri().toURL()}, null)) {
      Class<?> type = loader.loadClass("demo.BlobsPredictor");
      Object predictor = type.getConstructor().newInstance();
      float[] actual = new float[expected.length];
      type.getMethod("predict", float[].class, int.class, float[].class).invoke(predictor, samples, 300, actual);
      assertArrayEquals(expected, actual, 1e-5f);
    }
  }

  @Test
  void compileInferenceNeedsWeightsThatFitAndWritesNothingOtherwise() throws Exception {
    Path out = dir.resolve("gen");
    Cli noWeights = Cli.run("compile", "--inference", "-d", out.toString(), model.toString());
    assertEquals(ExitCodes.USAGE, noWeights.exitCode(), noWeights::toString);
    assertTrue(noWeights.err().contains("--inference needs --weights W.npz"), noWeights::toString);

    Path other = write("other.nn", Models.BLOBS.replace("dense 16 relu", "dense 8 relu"));
    Cli misfit = Cli.run("compile", "--inference", "--weights", weights.toString(), "-d", out.toString(), other.toString());
    assertEquals(ExitCodes.INPUT_ERROR, misfit.exitCode(), misfit::toString);
    assertTrue(misfit.err().contains(weights + ": array 'dense_1/kernel' has shape [2, 16], the model needs [2, 8]"), misfit::toString);
    assertFalse(misfit.showsStackTrace(), misfit::toString);
    assertFalse(Files.exists(out), "nothing written");

    Cli weightsAlone = Cli.run("compile", "--weights", weights.toString(), model.toString());
    assertEquals(ExitCodes.USAGE, weightsAlone.exitCode(), weightsAlone::toString);
  }

  private Path write(String name, String text) {
    try {
      return Models.write(dir, name, text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
