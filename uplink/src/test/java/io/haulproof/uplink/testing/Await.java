package io.haulproof.uplink.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds; a hang guard, not a timing assertion. */
public final class Await {
  private Await() {}

  /**
   * Waits until {@code condition} holds; throws AssertionError with {@code what} and {@code state}
   * after timeout.
   */
  public static void until(BooleanSupplier condition, Duration timeout, Supplier<String> state) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout + ": " + state.get());
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  public static void until(BooleanSupplier condition, Duration timeout, String what) {
    until(condition, timeout, () -> what);
  }
}
