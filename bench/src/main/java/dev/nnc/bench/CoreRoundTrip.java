package dev.nnc.bench;

/**
 * The round trip of a cache line between two threads, which the JVM's threads place on two of the
 * machine's CPUs: one thread writes a counter, the other answers, a million times. On a virtual
 * machine the two vCPUs may lie on one core complex (tens of nanoseconds) or far apart (hundreds);
 * the 2-thread training step, whose threads hand each other work and data several times a step,
 * runs about 1.45 times slower in the second case (see bench/README.md). Run it before and after a
 * 2-thread benchmark to know which case it ran in:
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.nnc.bench.CoreRoundTrip</pre>
 */
public final class CoreRoundTrip {
  private static volatile long flag;

  private CoreRoundTrip() {}

  public static void main(String[] args) throws InterruptedException {
    int rounds = 1_000_000;
    Thread answer = new Thread(() -> {
      for (long i = 1; i <= rounds; i++) {
        while (flag != 2 * i - 1) Thread.onSpinWait();
        flag = 2 * i;
      }
    });
    answer.start();
    long t0 = System.nanoTime();
    for (long i = 1; i <= rounds; i++) {
      flag = 2 * i - 1;
      while (flag != 2 * i) Thread.onSpinWait();
    }
    long t1 = System.nanoTime();
    answer.join();
    System.out.printf("cache-line round trip between two threads: %.0f ns%n", (t1 - t0) / (double) rounds);
  }
}
