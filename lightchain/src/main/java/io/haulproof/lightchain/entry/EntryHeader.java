package io.haulproof.lightchain.entry;

import java.util.Objects;

/**
 * The replay and ordering fields every gateway-signed entry carries (DESIGN.md, "Replay and
 * ordering").
 *
 * @param deviceId the gateway's device id, 1 to 64 characters
 * @param bootEpoch incremented at each start of the agent, from 0
 * @param seq the per-device sequence number: from 1, +1 per entry, never reused
 * @param wallTimeMillis UTC wall time, milliseconds since the Unix epoch
 * @param timeSource where the wall time came from
 * @param timeUncertaintyMs the estimated error bound of the wall time in milliseconds (the time
 *     quality)
 * @param uptimeMillis monotonic time since the agent started, in milliseconds
 */
public record EntryHeader(
    String deviceId,
    long bootEpoch,
    long seq,
    long wallTimeMillis,
    TimeSource timeSource,
    int timeUncertaintyMs,
    long uptimeMillis) {
  public static final int MAX_DEVICE_ID_LENGTH = 64;

  public EntryHeader {
    Objects.requireNonNull(deviceId, "deviceId");
    Objects.requireNonNull(timeSource, "timeSource");
    if (deviceId.isEmpty() || deviceId.length() > MAX_DEVICE_ID_LENGTH) {
      throw new IllegalArgumentException(
          "device id length " + deviceId.length() + ", want 1.." + MAX_DEVICE_ID_LENGTH);
    }
    if (bootEpoch < 0) {
      throw new IllegalArgumentException("boot epoch " + bootEpoch + ", want >= 0");
    }
    if (seq < 1) {
      throw new IllegalArgumentException("seq " + seq + ", want >= 1");
    }
    if (timeUncertaintyMs < 0) {
      throw new IllegalArgumentException(
          "time uncertainty " + timeUncertaintyMs + " ms, want >= 0");
    }
    if (uptimeMillis < 0) {
      throw new IllegalArgumentException("uptime " + uptimeMillis + " ms, want >= 0");
    }
  }
}
