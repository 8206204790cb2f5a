package dev.nnc.bench;

import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.MnistData;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * What the inner loops of the input layer's two big kernels can reach on this machine, with none of
 * the kernels' work around them: the loop over the entries of the pairs' column index (a row, two
 * input values) of {@link KernelBenchmark}'s batch, its first half of rows (as the kernels take a
 * panel, a half at a time), on data in the first-level cache, each entry's 16 multiply-adds
 * (8 vectors of a panel's columns times 2 input features) as the 16-lane kernels do them:
 *
 * <ul>
 *   <li>{@link #sumsInMemory}, the forward pass's: both features' panel rows in registers, the row's
 *       8 vectors of sums loaded, multiplied into and stored back;
 *   <li>{@link #sumsInRegisters}, the weight gradient's: the row's 8 vectors of dZ loaded, each
 *       multiplied into both features' sums, 16 accumulators in registers.
 * </ul>
 *
 * <p>Their real work a second (secondary result {@code realFlops}, in GFLOP/s: the products over
 * non-zero inputs, the pairs' zero halves, an entry's product with its one zero input, left out) is
 * what {@link KernelTable} sets each kernel against as its ceiling. With 8 lanes the kernels are shaped otherwise
 * (the forward pass walks rows, the weight gradient makes two passes of 4 vectors), and the table
 * gives no ceiling there.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class KernelCeilingBenchmark {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int LANES = S.length();
  /** A panel's columns, 8 vectors, as the kernels' panels. */
  static final int WIDTH = 8 * LANES;
  /** The rows of a half of the batch. */
  static final int ROWS = KernelBenchmark.BATCH / 2;

  private int[] row;
  private float[] value;
  /** The real work of a call: flops over the entries' non-zero inputs. */
  private double realFlops;
  /**
   * Where the rows' vectors start: 12 floats in, on a cache line with the forks' 64-byte object
   * alignment, as the generated class's panels and scratch (a vector across two lines costs a load or
   * store more).
   */
  private static final int START = 12;
  private final float[] rows = new float[START + ROWS * WIDTH];
  private final float[] weights = new float[2 * WIDTH];

  @Setup(Level.Trial)
  public void setUp() {
    Entries e = entries(MnistData.locate(null, System.err).train());
    row = e.row();
    value = e.value();
    // with 8 lanes the kernels are shaped otherwise: no ceiling
    realFlops = LANES >= 16 ? e.nonzeros() * 2.0 * WIDTH : 0;
    for (int i = 0; i < rows.length; i++) rows[i] = 1e-3f * (i % 97);
    for (int i = 0; i < weights.length; i++) weights[i] = 1e-3f * (i % 89) - 0.04f;
  }

  /** The pairs' entries of the batch's first half of rows: rows, and two values each (one of them maybe zero). */
  record Entries(int[] row, float[] value, int nonzeros) {}

  /**
   * The real work done, in flops, which JMH reports per nanosecond beside the calls: GFLOP/s of the
   * products over non-zero inputs (the pairs' zero halves, an entry with one input zero, are not real
   * work, as in {@link KernelTable}'s count).
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Work {
    public double realFlops;

    @Setup(Level.Iteration)
    public void clear() {
      realFlops = 0;
    }
  }

  /** The pairs' entries of the first {@link #ROWS} rows of {@link KernelBenchmark}'s batch, pair by pair, rows in order. */
  static Entries entries(Dataset train) {
    int first = (KernelBenchmark.SETUP_STEPS - 1) * KernelBenchmark.BATCH;
    float[] x = new float[KernelBenchmark.BATCH * 784];
    for (int i = 0; i < KernelBenchmark.BATCH; i++) {
      for (int k = 0; k < 784; k++) x[i * 784 + k] = train.feature(first + i, k);
    }
    // the pairs' index as ColumnForwardBenchmark builds it, the first half of each pair's entries
    ColumnForwardBenchmark.Batch batch = new ColumnForwardBenchmark.Batch(x);
    int[] row = new int[ROWS * 392];
    float[] value = new float[2 * row.length];
    int entries = 0, nonzeros = 0;
    for (int j = 0; j < 392; j++) {
      for (int q = batch.pairStart[j]; q < batch.pairMiddle[j]; q++, entries++) {
        row[entries] = batch.pairRow[q];
        value[2 * entries] = batch.pairValue[2 * q];
        value[2 * entries + 1] = batch.pairValue[2 * q + 1];
        nonzeros += (value[2 * entries] != 0f ? 1 : 0) + (value[2 * entries + 1] != 0f ? 1 : 0);
      }
    }
    return new Entries(java.util.Arrays.copyOf(row, entries), java.util.Arrays.copyOf(value, 2 * entries), nonzeros);
  }

  @Benchmark
  public float sumsInMemory(Work work) {
    work.realFlops += realFlops;
    float[] w = weights, s = rows, v = value;
    int[] r = row;
    FloatVector a0 = FloatVector.fromArray(S, w, 0), a1 = FloatVector.fromArray(S, w, LANES);
    FloatVector a2 = FloatVector.fromArray(S, w, 2 * LANES), a3 = FloatVector.fromArray(S, w, 3 * LANES);
    FloatVector a4 = FloatVector.fromArray(S, w, 4 * LANES), a5 = FloatVector.fromArray(S, w, 5 * LANES);
    FloatVector a6 = FloatVector.fromArray(S, w, 6 * LANES), a7 = FloatVector.fromArray(S, w, 7 * LANES);
    FloatVector b0 = FloatVector.fromArray(S, w, WIDTH), b1 = FloatVector.fromArray(S, w, WIDTH + LANES);
    FloatVector b2 = FloatVector.fromArray(S, w, WIDTH + 2 * LANES), b3 = FloatVector.fromArray(S, w, WIDTH + 3 * LANES);
    FloatVector b4 = FloatVector.fromArray(S, w, WIDTH + 4 * LANES), b5 = FloatVector.fromArray(S, w, WIDTH + 5 * LANES);
    FloatVector b6 = FloatVector.fromArray(S, w, WIDTH + 6 * LANES), b7 = FloatVector.fromArray(S, w, WIDTH + 7 * LANES);
    for (int q = 0; q < r.length; q++) {
      int si = START + r[q] * WIDTH;
      FloatVector x = FloatVector.broadcast(S, v[2 * q]);
      FloatVector y = FloatVector.broadcast(S, v[2 * q + 1]);
      y.fma(b0, x.fma(a0, FloatVector.fromArray(S, s, si))).intoArray(s, si);
      y.fma(b1, x.fma(a1, FloatVector.fromArray(S, s, si + LANES))).intoArray(s, si + LANES);
      y.fma(b2, x.fma(a2, FloatVector.fromArray(S, s, si + 2 * LANES))).intoArray(s, si + 2 * LANES);
      y.fma(b3, x.fma(a3, FloatVector.fromArray(S, s, si + 3 * LANES))).intoArray(s, si + 3 * LANES);
      y.fma(b4, x.fma(a4, FloatVector.fromArray(S, s, si + 4 * LANES))).intoArray(s, si + 4 * LANES);
      y.fma(b5, x.fma(a5, FloatVector.fromArray(S, s, si + 5 * LANES))).intoArray(s, si + 5 * LANES);
      y.fma(b6, x.fma(a6, FloatVector.fromArray(S, s, si + 6 * LANES))).intoArray(s, si + 6 * LANES);
      y.fma(b7, x.fma(a7, FloatVector.fromArray(S, s, si + 7 * LANES))).intoArray(s, si + 7 * LANES);
    }
    return s[1];
  }

  @Benchmark
  public float sumsInRegisters(Work work) {
    work.realFlops += realFlops;
    float[] z = rows, v = value;
    int[] r = row;
    FloatVector c0 = FloatVector.zero(S), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
    FloatVector d0 = c0, d1 = c0, d2 = c0, d3 = c0, d4 = c0, d5 = c0, d6 = c0, d7 = c0;
    for (int q = 0; q < r.length; q++) {
      int zi = START + r[q] * WIDTH;
      FloatVector a = FloatVector.broadcast(S, v[2 * q]);
      FloatVector b = FloatVector.broadcast(S, v[2 * q + 1]);
      FloatVector z0 = FloatVector.fromArray(S, z, zi);
      c0 = a.fma(z0, c0);
      d0 = b.fma(z0, d0);
      FloatVector z1 = FloatVector.fromArray(S, z, zi + LANES);
      c1 = a.fma(z1, c1);
      d1 = b.fma(z1, d1);
      FloatVector z2 = FloatVector.fromArray(S, z, zi + 2 * LANES);
      c2 = a.fma(z2, c2);
      d2 = b.fma(z2, d2);
      FloatVector z3 = FloatVector.fromArray(S, z, zi + 3 * LANES);
      c3 = a.fma(z3, c3);
      d3 = b.fma(z3, d3);
      FloatVector z4 = FloatVector.fromArray(S, z, zi + 4 * LANES);
      c4 = a.fma(z4, c4);
      d4 = b.fma(z4, d4);
      FloatVector z5 = FloatVector.fromArray(S, z, zi + 5 * LANES);
      c5 = a.fma(z5, c5);
      d5 = b.fma(z5, d5);
      FloatVector z6 = FloatVector.fromArray(S, z, zi + 6 * LANES);
      c6 = a.fma(z6, c6);
      d6 = b.fma(z6, d6);
      FloatVector z7 = FloatVector.fromArray(S, z, zi + 7 * LANES);
      c7 = a.fma(z7, c7);
      d7 = b.fma(z7, d7);
    }
    return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7)
        .add(d0).add(d1).add(d2).add(d3).add(d4).add(d5).add(d6).add(d7).reduceLanes(VectorOperators.ADD);
  }
}
