package io.haulproof.uplink;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The MQTT topic tree of one device (contract: DESIGN.md "Uplink"): {@code
 * haulproof/v1/{fleet}/{device}/…}.
 *
 * @param fleet the fleet id, one topic level
 * @param device the device id, one topic level
 */
public record Topics(String fleet, String device) {
  public static final String ROOT = "haulproof/v1/";
  private static final Pattern LEVEL = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public Topics {
    Objects.requireNonNull(fleet, "fleet");
    Objects.requireNonNull(device, "device");
    if (!LEVEL.matcher(fleet).matches()) {
      throw new IllegalArgumentException(
          "bad fleet id '" + fleet + "', want 1-64 of [A-Za-z0-9._-]");
    }
    if (!LEVEL.matcher(device).matches()) {
      throw new IllegalArgumentException(
          "bad device id '" + device + "', want 1-64 of [A-Za-z0-9._-]");
    }
  }

  /**
   * The device's key in maps, queues and caches, and its name in messages: {@code fleet/device}.
   */
  public String key() {
    return key(fleet, device);
  }

  /** {@code fleet/device}: the one way a device's key is written (ledger, agent). */
  public static String key(String fleet, String device) {
    return fleet + "/" + device;
  }

  public String base() {
    return ROOT + fleet + "/" + device + "/";
  }

  public String entries() {
    return base() + "entries";
  }

  public String checkpoints() {
    return base() + "checkpoints";
  }

  public String receipts() {
    return base() + "receipts";
  }

  public String status() {
    return base() + "status";
  }

  public String mgmtRequests() {
    return base() + "mgmt/req";
  }

  public String mgmtResponses() {
    return base() + "mgmt/res";
  }

  /** A parsed topic {@code haulproof/v1/{fleet}/{device}/{leaf}}. */
  public record Parsed(Topics topics, String leaf) {}

  /**
   * Parses a topic name of the tree.
   *
   * @throws IllegalArgumentException if it is not under {@code haulproof/v1/{fleet}/{device}/}
   */
  public static Parsed parse(String topic) {
    if (!topic.startsWith(ROOT)) {
      throw new IllegalArgumentException("topic '" + topic + "' is not under " + ROOT);
    }
    String[] parts = topic.substring(ROOT.length()).split("/", 3);
    if (parts.length < 3 || parts[2].isEmpty()) {
      throw new IllegalArgumentException("topic '" + topic + "' lacks fleet/device/leaf");
    }
    return new Parsed(new Topics(parts[0], parts[1]), parts[2]);
  }
}
