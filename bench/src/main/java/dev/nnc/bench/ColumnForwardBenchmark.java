package dev.nnc.bench;

import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.MnistData;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A design probe for the MNIST example's input-layer forward pass (784 -> 512, relu, one thread), not
 * a kernel nnc generates yet: the generated kernel walks each row's non-zero inputs (a row index) and
 * loads a weight row per non-zero, so it waits for weights from the second-level cache (about 9 cycles
 * a non-zero and 128-column panel). Walking a column index instead, a group of adjacent features'
 * weights stay in registers while the rows where any of them is non-zero update their sums in a
 * 32 KB tile of the first-level cache: {@code pairColumns} (2 features x 128 columns, the batch in two
 * halves of 64 rows, the gradient kernel's pair index) and {@code quadColumns} (4 features x 64
 * columns, all 128 rows). Every product of a zero input adds an exact 0, and each sum takes its inputs
 * in the same order, so the three give the same bits (checked at setup). Written for 16 lanes (32
 * vector registers); on 8 lanes the register blocks would have to be halved.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", KernelTable.ALIGN, KernelTable.QUIET,
    "-XX:CompileCommand=CompileThresholdScaling,dev.nnc.bench.ColumnForwardBenchmark::*,0.01", KernelTable.NO_OSR})
public class ColumnForwardBenchmark {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();
  private static final int ROWS = 128, INPUTS = 784, UNITS = 512;
  /** As the generated class: the panels start 12 floats into the array, on a cache line with 64-byte alignment. */
  private static final int PANEL_START = 12;
  private static final int WIDTH = 8 * LANES;
  private static final int BATCHES = 32;

  private final float[] w = new float[PANEL_START + INPUTS * UNITS];
  private final float[] b = new float[UNITS];
  private final float[] h = new float[ROWS * UNITS];
  private final float[] sums = new float[PANEL_START + ROWS * WIDTH];
  private final int[] cursor = new int[ROWS];
  private final Batch[] batches = new Batch[BATCHES];
  private int next;

  /** One batch's three indexes of its non-zero inputs (KernelCeilingBenchmark's entries too). */
  static final class Batch {
    final int[] rowStart = new int[ROWS], rowEnd = new int[ROWS], rowColumn = new int[ROWS * INPUTS];
    final float[] rowValue = new float[ROWS * INPUTS];
    final int[] pairStart = new int[INPUTS / 2], pairMiddle = new int[INPUTS / 2], pairEnd = new int[INPUTS / 2];
    final int[] pairRow = new int[ROWS * INPUTS / 2];
    final float[] pairValue = new float[ROWS * INPUTS];
    final int[] quadStart = new int[INPUTS / 4], quadEnd = new int[INPUTS / 4], quadRow = new int[ROWS * INPUTS / 4];
    final float[] quadValue = new float[ROWS * INPUTS];

    Batch(float[] x) {
      int p = 0;
      for (int i = 0; i < ROWS; i++) {
        rowStart[i] = p;
        for (int k = 0; k < INPUTS; k++) {
          if (x[i * INPUTS + k] != 0f) {
            rowColumn[p] = k;
            rowValue[p++] = x[i * INPUTS + k];
          }
        }
        rowEnd[i] = p;
      }
      int q = 0;
      for (int j = 0; j < INPUTS / 2; j++) {
        pairStart[j] = q;
        for (int i = 0; i < ROWS; i++) {
          if (i == ROWS / 2) pairMiddle[j] = q;
          float v0 = x[i * INPUTS + 2 * j], v1 = x[i * INPUTS + 2 * j + 1];
          if (v0 != 0f || v1 != 0f) {
            pairRow[q] = i;
            pairValue[2 * q] = v0;
            pairValue[2 * q++ + 1] = v1;
          }
        }
        pairEnd[j] = q;
      }
      q = 0;
      for (int j = 0; j < INPUTS / 4; j++) {
        quadStart[j] = q;
        for (int i = 0; i < ROWS; i++) {
          boolean any = false;
          for (int t = 0; t < 4; t++) any |= x[i * INPUTS + 4 * j + t] != 0f;
          if (any) {
            quadRow[q] = i;
            for (int t = 0; t < 4; t++) quadValue[4 * q + t] = x[i * INPUTS + 4 * j + t];
            q++;
          }
        }
        quadEnd[j] = q;
      }
    }
  }

  @Setup(Level.Trial)
  public void load() {
    if (LANES != 16) throw new IllegalStateException("written for 16 float lanes, this JVM prefers " + LANES);
    Dataset train = MnistData.locate(null, System.err).train();
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < w.length; i++) w[i] = (float) (random.nextDouble() - 0.5) * 0.1f;
    for (int i = 0; i < b.length; i++) b[i] = (float) (random.nextDouble() - 0.5) * 0.1f;
    float[] x = new float[ROWS * INPUTS];
    for (int batch = 0; batch < BATCHES; batch++) {
      for (int i = 0; i < ROWS; i++) {
        int s = random.nextInt(train.size());
        for (int k = 0; k < INPUTS; k++) x[i * INPUTS + k] = train.feature(s, k);
      }
      batches[batch] = new Batch(x);
    }
    for (Batch batch : new Batch[] {batches[0], batches[BATCHES - 1]}) {
      rowIndex(batch);
      float[] expected = h.clone();
      pairColumns(batch);
      if (!java.util.Arrays.equals(expected, h)) throw new AssertionError("pairColumns differs from rowIndex");
      quadColumns(batch);
      if (!java.util.Arrays.equals(expected, h)) throw new AssertionError("quadColumns differs from rowIndex");
    }
  }

  private Batch nextBatch() {
    next = (next + 1) % BATCHES;
    return batches[next];
  }

  /** The generated kernel's way (dense1SparseForwardPanel): rows over blocks of 128 features' weights. */
  @Benchmark
  public float[] rowIndex() {
    rowIndex(nextBatch());
    return h;
  }

  @Benchmark
  public float[] pairColumns() {
    pairColumns(nextBatch());
    return h;
  }

  @Benchmark
  public float[] quadColumns() {
    quadColumns(nextBatch());
    return h;
  }

  private void rowIndex(Batch x) {
    int block = 65536 / (4 * WIDTH);
    for (int col = 0; col < UNITS; col += WIDTH) {
      int wp = PANEL_START + col * INPUTS;
      for (int i = 0; i < ROWS; i++) {
        for (int v = 0; v < 8; v++) FloatVector.fromArray(SPECIES, b, col + v * LANES).intoArray(sums, PANEL_START + i * WIDTH + v * LANES);
        cursor[i] = x.rowStart[i];
      }
      for (int k0 = 0; k0 < INPUTS; k0 += block) {
        int k1 = Math.min(k0 + block, INPUTS);
        for (int i = 0; i < ROWS; i++) {
          int p = cursor[i], e = x.rowEnd[i];
          if (p == e || x.rowColumn[p] >= k1) continue;
          int si = PANEL_START + i * WIDTH;
          FloatVector c0 = FloatVector.fromArray(SPECIES, sums, si);
          FloatVector c1 = FloatVector.fromArray(SPECIES, sums, si + LANES);
          FloatVector c2 = FloatVector.fromArray(SPECIES, sums, si + 2 * LANES);
          FloatVector c3 = FloatVector.fromArray(SPECIES, sums, si + 3 * LANES);
          FloatVector c4 = FloatVector.fromArray(SPECIES, sums, si + 4 * LANES);
          FloatVector c5 = FloatVector.fromArray(SPECIES, sums, si + 5 * LANES);
          FloatVector c6 = FloatVector.fromArray(SPECIES, sums, si + 6 * LANES);
          FloatVector c7 = FloatVector.fromArray(SPECIES, sums, si + 7 * LANES);
          for (; p < e; p++) {
            int kp = x.rowColumn[p];
            if (kp >= k1) break;
            int wk = wp + kp * WIDTH;
            FloatVector a = FloatVector.broadcast(SPECIES, x.rowValue[p]);
            c0 = a.fma(FloatVector.fromArray(SPECIES, w, wk), c0);
            c1 = a.fma(FloatVector.fromArray(SPECIES, w, wk + LANES), c1);
            c2 = a.fma(FloatVector.fromArray(SPECIES, w, wk + 2 * LANES), c2);
            c3 = a.fma(FloatVector.fromArray(SPECIES, w, wk + 3 * LANES), c3);
            c4 = a.fma(FloatVector.fromArray(SPECIES, w, wk + 4 * LANES), c4);
            c5 = a.fma(FloatVector.fromArray(SPECIES, w, wk + 5 * LANES), c5);
            c6 = a.fma(FloatVector.fromArray(SPECIES, w, wk + 6 * LANES), c6);
            c7 = a.fma(FloatVector.fromArray(SPECIES, w, wk + 7 * LANES), c7);
          }
          cursor[i] = p;
          c0.intoArray(sums, si);
          c1.intoArray(sums, si + LANES);
          c2.intoArray(sums, si + 2 * LANES);
          c3.intoArray(sums, si + 3 * LANES);
          c4.intoArray(sums, si + 4 * LANES);
          c5.intoArray(sums, si + 5 * LANES);
          c6.intoArray(sums, si + 6 * LANES);
          c7.intoArray(sums, si + 7 * LANES);
        }
      }
      relu(0, ROWS, col, WIDTH);
    }
  }

  private void pairColumns(Batch x) {
    for (int col = 0; col < UNITS; col += WIDTH) {
      for (int half = 0; half < 2; half++) {
        int h0 = half * ROWS / 2;
        startSums(ROWS / 2, col, WIDTH);
        int wp = PANEL_START + col * INPUTS;
        for (int j = 0; j < INPUTS / 2; j++) {
          int q = half == 0 ? x.pairStart[j] : x.pairMiddle[j], e = half == 0 ? x.pairMiddle[j] : x.pairEnd[j];
          if (q == e) continue;
          int wk = wp + 2 * j * WIDTH;
          FloatVector w0 = FloatVector.fromArray(SPECIES, w, wk);
          FloatVector w1 = FloatVector.fromArray(SPECIES, w, wk + LANES);
          FloatVector w2 = FloatVector.fromArray(SPECIES, w, wk + 2 * LANES);
          FloatVector w3 = FloatVector.fromArray(SPECIES, w, wk + 3 * LANES);
          FloatVector w4 = FloatVector.fromArray(SPECIES, w, wk + 4 * LANES);
          FloatVector w5 = FloatVector.fromArray(SPECIES, w, wk + 5 * LANES);
          FloatVector w6 = FloatVector.fromArray(SPECIES, w, wk + 6 * LANES);
          FloatVector w7 = FloatVector.fromArray(SPECIES, w, wk + 7 * LANES);
          FloatVector u0 = FloatVector.fromArray(SPECIES, w, wk + WIDTH);
          FloatVector u1 = FloatVector.fromArray(SPECIES, w, wk + WIDTH + LANES);
          FloatVector u2 = FloatVector.fromArray(SPECIES, w, wk + WIDTH + 2 * LANES);
          FloatVector u3 = FloatVector.fromArray(SPECIES, w, wk + WIDTH + 3 * LANES);
          FloatVector u4 = FloatVector.fromArray(SPECIES, w, wk + WIDTH + 4 * LANES);
          FloatVector u5 = FloatVector.fromArray(SPECIES, w, wk + WIDTH + 5 * LANES);
          FloatVector u6 = FloatVector.fromArray(SPECIES, w, wk + WIDTH + 6 * LANES);
          FloatVector u7 = FloatVector.fromArray(SPECIES, w, wk + WIDTH + 7 * LANES);
          for (; q < e; q++) {
            int si = PANEL_START + (x.pairRow[q] - h0) * WIDTH;
            FloatVector a = FloatVector.broadcast(SPECIES, x.pairValue[2 * q]);
            FloatVector c = FloatVector.broadcast(SPECIES, x.pairValue[2 * q + 1]);
            c.fma(u0, a.fma(w0, FloatVector.fromArray(SPECIES, sums, si))).intoArray(sums, si);
            c.fma(u1, a.fma(w1, FloatVector.fromArray(SPECIES, sums, si + LANES))).intoArray(sums, si + LANES);
            c.fma(u2, a.fma(w2, FloatVector.fromArray(SPECIES, sums, si + 2 * LANES))).intoArray(sums, si + 2 * LANES);
            c.fma(u3, a.fma(w3, FloatVector.fromArray(SPECIES, sums, si + 3 * LANES))).intoArray(sums, si + 3 * LANES);
            c.fma(u4, a.fma(w4, FloatVector.fromArray(SPECIES, sums, si + 4 * LANES))).intoArray(sums, si + 4 * LANES);
            c.fma(u5, a.fma(w5, FloatVector.fromArray(SPECIES, sums, si + 5 * LANES))).intoArray(sums, si + 5 * LANES);
            c.fma(u6, a.fma(w6, FloatVector.fromArray(SPECIES, sums, si + 6 * LANES))).intoArray(sums, si + 6 * LANES);
            c.fma(u7, a.fma(w7, FloatVector.fromArray(SPECIES, sums, si + 7 * LANES))).intoArray(sums, si + 7 * LANES);
          }
        }
        relu(h0, ROWS / 2, col, WIDTH);
      }
    }
  }

  private void quadColumns(Batch x) {
    int tile = 4 * LANES;
    for (int col = 0; col < UNITS; col += tile) {
      startSums(ROWS, col, tile);
      // a 64-column half of a 128-column panel
      int wp = PANEL_START + (col - col % WIDTH) * INPUTS + col % WIDTH;
      for (int j = 0; j < INPUTS / 4; j++) {
        int q = x.quadStart[j], e = x.quadEnd[j];
        if (q == e) continue;
        int wk = wp + 4 * j * WIDTH;
        FloatVector w0 = FloatVector.fromArray(SPECIES, w, wk);
        FloatVector w1 = FloatVector.fromArray(SPECIES, w, wk + LANES);
        FloatVector w2 = FloatVector.fromArray(SPECIES, w, wk + 2 * LANES);
        FloatVector w3 = FloatVector.fromArray(SPECIES, w, wk + 3 * LANES);
        FloatVector u0 = FloatVector.fromArray(SPECIES, w, wk + WIDTH);
        FloatVector u1 = FloatVector.fromArray(SPECIES, w, wk + WIDTH + LANES);
        FloatVector u2 = FloatVector.fromArray(SPECIES, w, wk + WIDTH + 2 * LANES);
        FloatVector u3 = FloatVector.fromArray(SPECIES, w, wk + WIDTH + 3 * LANES);
        FloatVector t0 = FloatVector.fromArray(SPECIES, w, wk + 2 * WIDTH);
        FloatVector t1 = FloatVector.fromArray(SPECIES, w, wk + 2 * WIDTH + LANES);
        FloatVector t2 = FloatVector.fromArray(SPECIES, w, wk + 2 * WIDTH + 2 * LANES);
        FloatVector t3 = FloatVector.fromArray(SPECIES, w, wk + 2 * WIDTH + 3 * LANES);
        FloatVector r0 = FloatVector.fromArray(SPECIES, w, wk + 3 * WIDTH);
        FloatVector r1 = FloatVector.fromArray(SPECIES, w, wk + 3 * WIDTH + LANES);
        FloatVector r2 = FloatVector.fromArray(SPECIES, w, wk + 3 * WIDTH + 2 * LANES);
        FloatVector r3 = FloatVector.fromArray(SPECIES, w, wk + 3 * WIDTH + 3 * LANES);
        for (; q < e; q++) {
          int si = PANEL_START + x.quadRow[q] * tile;
          FloatVector a = FloatVector.broadcast(SPECIES, x.quadValue[4 * q]);
          FloatVector c = FloatVector.broadcast(SPECIES, x.quadValue[4 * q + 1]);
          FloatVector d = FloatVector.broadcast(SPECIES, x.quadValue[4 * q + 2]);
          FloatVector f = FloatVector.broadcast(SPECIES, x.quadValue[4 * q + 3]);
          f.fma(r0, d.fma(t0, c.fma(u0, a.fma(w0, FloatVector.fromArray(SPECIES, sums, si))))).intoArray(sums, si);
          f.fma(r1, d.fma(t1, c.fma(u1, a.fma(w1, FloatVector.fromArray(SPECIES, sums, si + LANES))))).intoArray(sums, si + LANES);
          f.fma(r2, d.fma(t2, c.fma(u2, a.fma(w2, FloatVector.fromArray(SPECIES, sums, si + 2 * LANES))))).intoArray(sums, si + 2 * LANES);
          f.fma(r3, d.fma(t3, c.fma(u3, a.fma(w3, FloatVector.fromArray(SPECIES, sums, si + 3 * LANES))))).intoArray(sums, si + 3 * LANES);
        }
      }
      relu(0, ROWS, col, tile);
    }
  }

  /** The tile's sums start at the biases of columns {@code col..col+tile}. */
  private void startSums(int rows, int col, int tile) {
    for (int i = 0; i < rows; i++) {
      for (int v = 0; v < tile; v += LANES) FloatVector.fromArray(SPECIES, b, col + v).intoArray(sums, PANEL_START + i * tile + v);
    }
  }

  /** {@code h} of rows {@code h0..h0+rows}, columns {@code col..col+tile}: the tile's sums through relu. */
  private void relu(int h0, int rows, int col, int tile) {
    for (int i = 0; i < rows; i++) {
      for (int v = 0; v < tile; v += LANES) {
        FloatVector.fromArray(SPECIES, sums, PANEL_START + i * tile + v).max(0f).intoArray(h, (h0 + i) * UNITS + col + v);
      }
    }
  }
}
