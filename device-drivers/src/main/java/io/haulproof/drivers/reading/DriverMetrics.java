package io.haulproof.drivers.reading;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Plain counters of one driver: accepted frames, rejected frames by reason, and bytes skipped while
 * resynchronising. The agent bridges them to Micrometer; this module has no metrics library.
 */
public final class DriverMetrics {
  private final String driver;
  private final LongAdder accepted = new LongAdder();
  private final LongAdder skippedBytes = new LongAdder();
  private final ConcurrentHashMap<String, LongAdder> rejected = new ConcurrentHashMap<>();

  public DriverMetrics(String driver) {
    this.driver = driver;
  }

  public String driver() {
    return driver;
  }

  public void accepted() {
    accepted.increment();
  }

  public void rejected(String reason) {
    rejected.computeIfAbsent(reason, r -> new LongAdder()).increment();
  }

  public void skipped(long bytes) {
    skippedBytes.add(bytes);
  }

  public long acceptedCount() {
    return accepted.sum();
  }

  public long skippedBytes() {
    return skippedBytes.sum();
  }

  public long rejectedCount(String reason) {
    LongAdder a = rejected.get(reason);
    return a == null ? 0 : a.sum();
  }

  public long rejectedTotal() {
    return rejected.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /** A sorted snapshot of rejects by reason. */
  public Map<String, Long> rejectedByReason() {
    Map<String, Long> out = new TreeMap<>();
    rejected.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  @Override
  public String toString() {
    return driver
        + "{accepted="
        + acceptedCount()
        + ", rejected="
        + rejectedByReason()
        + ", skippedBytes="
        + skippedBytes()
        + "}";
  }
}
