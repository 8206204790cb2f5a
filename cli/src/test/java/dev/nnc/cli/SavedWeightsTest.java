package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.runtime.Npy;
import dev.nnc.runtime.NpyArray;
import dev.nnc.runtime.Npz;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code nnc train --init W --no-shuffle --save OUT} writes the weights that an independent float64
 * implementation of the same model, loss and Keras 3 Adam rule reaches from the same weights on the
 * same batches (10 samples in batches of 4: the last batch of each epoch has 2).
 */
class SavedWeightsTest {
  static final String MODEL = """
      input 3;
      dense 4 tanh;
      dense 2 softmax;
      loss sparse_ce;
      optimizer adam(learning_rate = 0.05);
      train batch 4 epochs 2 seed 1;
      """;
  static final int SAMPLES = 10;
  static final int BATCH = 4;
  static final int EPOCHS = 2;

  @TempDir
  Path dir;

  @Test
  void savedWeightsMatchAFloat64ReferenceAfterSeveralSteps() throws Exception {
    SplittableRandom random = new SplittableRandom(5);
    float[] x = uniform(random, SAMPLES * 3, 1);
    float[] y = new float[SAMPLES];
    for (int i = 0; i < SAMPLES; i++) y[i] = random.nextInt(2);
    Map<String, float[]> init = new LinkedHashMap<>();
    init.put("dense_1/kernel", uniform(random, 12, 0.8));
    init.put("dense_1/bias", uniform(random, 4, 0.1));
    init.put("dense_2/kernel", uniform(random, 8, 0.8));
    init.put("dense_2/bias", uniform(random, 2, 0.1));
    Map<String, int[]> shapes = Map.of("dense_1/kernel", new int[] {3, 4}, "dense_1/bias", new int[] {4},
        "dense_2/kernel", new int[] {4, 2}, "dense_2/bias", new int[] {2});

    Path model = Models.write(dir, "tiny.nn", MODEL);
    Npy.write(dir.resolve("x.npy"), NpyArray.ofFloats(new int[] {SAMPLES, 3}, x));
    Npy.write(dir.resolve("y.npy"), NpyArray.ofFloats(new int[] {SAMPLES}, y));
    Map<String, NpyArray> initArrays = new LinkedHashMap<>();
    init.forEach((name, values) -> initArrays.put(name, NpyArray.ofFloats(shapes.get(name), values)));
    Npz.write(dir.resolve("init.npz"), initArrays);

    Cli train = Cli.run("train", model.toString(), "--x", dir.resolve("x.npy").toString(), "--y", dir.resolve("y.npy").toString(),
        "--init", dir.resolve("init.npz").toString(), "--no-shuffle", "--save", dir.resolve("out.npz").toString());
    assertEquals(0, train.exitCode(), train::toString);

    Map<String, double[]> expected = new Reference(init).train(x, y);
    Map<String, NpyArray> saved = Npz.read(dir.resolve("out.npz"));
    for (Map.Entry<String, double[]> e : expected.entrySet()) {
      float[] actual = saved.get(e.getKey()).data();
      double scale = 0;
      double maxDiff = 0;
      for (int i = 0; i < actual.length; i++) {
        scale = Math.max(scale, Math.abs(e.getValue()[i]));
        maxDiff = Math.max(maxDiff, Math.abs(actual[i] - e.getValue()[i]));
      }
      assertTrue(maxDiff <= 1e-5 * scale, e.getKey() + ": max difference " + maxDiff + " over weights up to " + scale);
    }
  }

  private static float[] uniform(SplittableRandom random, int n, double limit) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) a[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
    return a;
  }

  /** The model written out by hand in float64: tanh layer, softmax layer, cross-entropy, Keras 3 Adam. */
  private static final class Reference {
    final Map<String, double[]> w = new LinkedHashMap<>();
    final Map<String, double[]> m = new LinkedHashMap<>();
    final Map<String, double[]> v = new LinkedHashMap<>();
    int t;

    Reference(Map<String, float[]> init) {
      init.forEach((name, values) -> {
        double[] d = new double[values.length];
        for (int i = 0; i < d.length; i++) d[i] = values[i];
        w.put(name, d);
        m.put(name, new double[d.length]);
        v.put(name, new double[d.length]);
      });
    }

    Map<String, double[]> train(float[] x, float[] y) {
      for (int epoch = 0; epoch < EPOCHS; epoch++) {
        for (int first = 0; first < SAMPLES; first += BATCH) {
          step(x, y, first, Math.min(BATCH, SAMPLES - first));
        }
      }
      return w;
    }

    private void step(float[] x, float[] y, int first, int n) {
      double[] w1 = w.get("dense_1/kernel"), b1 = w.get("dense_1/bias"), w2 = w.get("dense_2/kernel"), b2 = w.get("dense_2/bias");
      Map<String, double[]> g = new LinkedHashMap<>();
      w.forEach((name, values) -> g.put(name, new double[values.length]));
      for (int s = first; s < first + n; s++) {
        double[] h = new double[4];
        for (int j = 0; j < 4; j++) {
          double z = b1[j];
          for (int k = 0; k < 3; k++) z += x[s * 3 + k] * w1[k * 4 + j];
          h[j] = Math.tanh(z);
        }
        double[] z2 = new double[2];
        for (int j = 0; j < 2; j++) {
          z2[j] = b2[j];
          for (int k = 0; k < 4; k++) z2[j] += h[k] * w2[k * 2 + j];
        }
        double max = Math.max(z2[0], z2[1]);
        double e0 = Math.exp(z2[0] - max), e1 = Math.exp(z2[1] - max);
        double[] dz2 = {e0 / (e0 + e1) / n, e1 / (e0 + e1) / n};
        dz2[(int) y[s]] -= 1.0 / n;
        double[] dh = new double[4];
        for (int k = 0; k < 4; k++) {
          for (int j = 0; j < 2; j++) {
            g.get("dense_2/kernel")[k * 2 + j] += h[k] * dz2[j];
            dh[k] += w2[k * 2 + j] * dz2[j];
          }
        }
        for (int j = 0; j < 2; j++) g.get("dense_2/bias")[j] += dz2[j];
        for (int j = 0; j < 4; j++) {
          double dz1 = dh[j] * (1 - h[j] * h[j]);
          for (int k = 0; k < 3; k++) g.get("dense_1/kernel")[k * 4 + j] += x[s * 3 + k] * dz1;
          g.get("dense_1/bias")[j] += dz1;
        }
      }
      t++;
      double alpha = 0.05 * Math.sqrt(1 - Math.pow(0.999, t)) / (1 - Math.pow(0.9, t));
      for (String name : w.keySet()) {
        double[] p = w.get(name), gm = m.get(name), gv = v.get(name), gr = g.get(name);
        for (int i = 0; i < p.length; i++) {
          gm[i] += (gr[i] - gm[i]) * (1 - 0.9);
          gv[i] += (gr[i] * gr[i] - gv[i]) * (1 - 0.999);
          p[i] -= gm[i] * alpha / (Math.sqrt(gv[i]) + 1e-7);
        }
      }
    }
  }
}
