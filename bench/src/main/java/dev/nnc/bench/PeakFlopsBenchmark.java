package dev.nnc.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's float32 limit as Java reaches it: 12 independent fused multiply-add chains on
 * registers, nothing read from or written to memory in the loop.
 *
 * <p>One JMH operation is one floating-point operation (a multiply-add counts 2), and the unit is
 * ops/ns, so every score reads directly as GFLOP/s; with {@code @Threads(2)} it is the sum over
 * both threads. Every invocation does the same {@value #FLOPS} flops whatever the vector width:
 * the loop runs {@code LANE_FMAS / (12 * lanes)} times.
 *
 * <p>Shaped after the Vector API pitfalls in the project's performance notes: every vector is a
 * local created in the method (no {@code static final FloatVector}, no vector crosses a method
 * boundary), and the 12 chains start from different values so that the JIT cannot merge them. 12
 * chains cover a 4–5 cycle FMA latency on two FMA pipes; 8 were measured to be too few.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PeakFlopsBenchmark {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

  /** Multiply-adds per lane-chain product: divisible by 12 × any power-of-two lane count up to 64. */
  static final int LANE_FMAS = 12 * 65_536;
  /** Flops per invocation: 2 per multiply-add. */
  static final int FLOPS = 2 * LANE_FMAS;

  /** Loop trips of the vector kernel, so that it does {@link #LANE_FMAS} lane multiply-adds. */
  private int vectorTrips;
  private int scalarTrips;
  /** Starting values of the chains, and the two factors; fields, so that nothing is a constant. */
  private final float[] start = new float[12];
  private float a;
  private float b;

  @Setup
  public void setup() {
    vectorTrips = LANE_FMAS / (12 * S.length());
    scalarTrips = LANE_FMAS / 12;
    for (int i = 0; i < start.length; i++) start[i] = 0.001f * (i + 1);
    // a * b slightly below 1 keeps the running sums bounded and far from subnormals.
    a = 0.999f;
    b = 1e-6f;
  }

  @Benchmark
  @OperationsPerInvocation(FLOPS)
  public float vector() {
    return vectorChains();
  }

  @Benchmark
  @Threads(2)
  @OperationsPerInvocation(FLOPS)
  public float vector2Threads() {
    return vectorChains();
  }

  @Benchmark
  @OperationsPerInvocation(FLOPS)
  public float scalar() {
    return scalarChains();
  }

  @Benchmark
  @Threads(2)
  @OperationsPerInvocation(FLOPS)
  public float scalar2Threads() {
    return scalarChains();
  }

  /** c = c * a + b on 12 vectors of accumulators. */
  private float vectorChains() {
    final FloatVector va = FloatVector.broadcast(S, a);
    final FloatVector vb = FloatVector.broadcast(S, b);
    final float[] s = start;
    FloatVector c0 = FloatVector.broadcast(S, s[0]), c1 = FloatVector.broadcast(S, s[1]);
    FloatVector c2 = FloatVector.broadcast(S, s[2]), c3 = FloatVector.broadcast(S, s[3]);
    FloatVector c4 = FloatVector.broadcast(S, s[4]), c5 = FloatVector.broadcast(S, s[5]);
    FloatVector c6 = FloatVector.broadcast(S, s[6]), c7 = FloatVector.broadcast(S, s[7]);
    FloatVector c8 = FloatVector.broadcast(S, s[8]), c9 = FloatVector.broadcast(S, s[9]);
    FloatVector c10 = FloatVector.broadcast(S, s[10]), c11 = FloatVector.broadcast(S, s[11]);
    for (int t = vectorTrips; t > 0; t--) {
      c0 = c0.fma(va, vb);
      c1 = c1.fma(va, vb);
      c2 = c2.fma(va, vb);
      c3 = c3.fma(va, vb);
      c4 = c4.fma(va, vb);
      c5 = c5.fma(va, vb);
      c6 = c6.fma(va, vb);
      c7 = c7.fma(va, vb);
      c8 = c8.fma(va, vb);
      c9 = c9.fma(va, vb);
      c10 = c10.fma(va, vb);
      c11 = c11.fma(va, vb);
    }
    return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
        .reduceLanes(VectorOperators.ADD);
  }

  /** The same with one float per chain ({@link Math#fma}: one scalar FMA instruction each). */
  private float scalarChains() {
    final float fa = a;
    final float fb = b;
    final float[] s = start;
    float c0 = s[0], c1 = s[1], c2 = s[2], c3 = s[3], c4 = s[4], c5 = s[5];
    float c6 = s[6], c7 = s[7], c8 = s[8], c9 = s[9], c10 = s[10], c11 = s[11];
    for (int t = scalarTrips; t > 0; t--) {
      c0 = Math.fma(c0, fa, fb);
      c1 = Math.fma(c1, fa, fb);
      c2 = Math.fma(c2, fa, fb);
      c3 = Math.fma(c3, fa, fb);
      c4 = Math.fma(c4, fa, fb);
      c5 = Math.fma(c5, fa, fb);
      c6 = Math.fma(c6, fa, fb);
      c7 = Math.fma(c7, fa, fb);
      c8 = Math.fma(c8, fa, fb);
      c9 = Math.fma(c9, fa, fb);
      c10 = Math.fma(c10, fa, fb);
      c11 = Math.fma(c11, fa, fb);
    }
    return c0 + c1 + c2 + c3 + c4 + c5 + c6 + c7 + c8 + c9 + c10 + c11;
  }
}
