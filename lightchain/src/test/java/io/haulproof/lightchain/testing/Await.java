package io.haulproof.lightchain.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polls a condition until it holds or a deadline passes: the one hang guard every module's tests
 * use, not a timing assertion.
 */
public final class Await {
  private static final long POLL_MILLIS = 20;

  private Await() {}

  /**
   * Waits until {@code condition} holds; after {@code timeout} throws an AssertionError naming
   * {@code what} was awaited and the last observed {@code state}.
   */
  public static void until(
      BooleanSupplier condition, Duration timeout, String what, Supplier<?> state) {
    until(condition, timeout, () -> "waiting for " + what + "; last state: " + state.get());
  }

  /**
   * Waits until {@code condition} holds; after {@code timeout} throws an AssertionError with the
   * text {@code described} gives at that moment (what was awaited and what was seen instead).
   */
  public static void until(
      BooleanSupplier condition, Duration timeout, Supplier<String> described) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + ": " + described.get());
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting: " + described.get(), e);
      }
    }
  }

  /** Waits until {@code condition} holds; after {@code timeout} fails naming {@code what}. */
  public static void until(BooleanSupplier condition, Duration timeout, String what) {
    until(condition, timeout, () -> "waiting for " + what);
  }
}
