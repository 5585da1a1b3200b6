package io.haulproof.agent.lift;

import java.util.Objects;

/**
 * The container as identified (ISO 11784/11785, EN 14803), with the read quality for disputes.
 *
 * @param rawHex id as read
 * @param id decoded id
 * @param technology tag technology
 * @param readCount merged reads
 * @param rssi signal strength in dBm, null when not reported
 */
public record Container(
    String rawHex, String id, TagTechnology technology, int readCount, Integer rssi) {
  public Container {
    Objects.requireNonNull(rawHex, "rawHex");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(technology, "technology");
  }
}
