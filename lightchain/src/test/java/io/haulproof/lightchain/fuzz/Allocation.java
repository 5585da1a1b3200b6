package io.haulproof.lightchain.fuzz;

import java.lang.management.ManagementFactory;

/**
 * Bounded allocation as a fuzz property: a parser fed {@code n} hostile bytes must not allocate
 * much more than {@code n} (no pre-allocation from a length field it has not checked). Measured
 * with the JVM's per-thread allocation counter; the first call of a target also loads classes, so a
 * call over the limit is measured once more before it counts as a finding.
 */
public final class Allocation {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private Allocation() {}

  /** Something to measure; pure, so that it may run twice. */
  @FunctionalInterface
  public interface Parse {
    void run() throws Exception;
  }

  /**
   * Runs {@code parse} and fails if it allocated more than {@code fixed + perByte * inputLength}
   * bytes, whether it returned or threw; its exception, if any, is then rethrown unchanged.
   */
  public static void atMost(long fixed, long perByte, int inputLength, Parse parse)
      throws Exception {
    long limit = fixed + perByte * inputLength;
    Measured m = measure(parse);
    if (m.bytes() > limit && measure(parse).bytes() > limit) {
      throw new AssertionError(
          "allocated " + m.bytes() + " bytes for a " + inputLength + "-byte input, limit " + limit,
          m.thrown());
    }
    if (m.thrown() != null) {
      throw m.thrown();
    }
  }

  private record Measured(long bytes, Exception thrown) {}

  private static Measured measure(Parse parse) {
    long id = Thread.currentThread().getId();
    long before = THREADS.getThreadAllocatedBytes(id);
    Exception thrown = null;
    try {
      parse.run();
    } catch (Exception e) {
      thrown = e;
    }
    return new Measured(THREADS.getThreadAllocatedBytes(id) - before, thrown);
  }
}
