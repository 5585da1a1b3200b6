package io.haulproof.drivers.remote.mqtt;

/**
 * The MQTT topics smart bins publish their source-signed readings on, {@code
 * haulproof/v1/{fleet}/nodes/{node}/readings}, and the packet size a subscriber to them announces.
 * Transport-free: the agent subscribes through uplink's connection supervisor ({@code
 * NodeReadingsSubscriber}), and the node named in the topic must be the reading key's owner.
 */
public final class NodeReadingTopic {
  /**
   * The MQTT 5 Maximum Packet Size (§3.1.2.11.4) a readings subscriber announces: a reading is at
   * most {@link io.haulproof.drivers.remote.NodePayload#MAX_MESSAGE} bytes, so the broker drops
   * anything larger than this for us (topic and properties fit easily), and Paho refuses a larger
   * packet before allocating it.
   */
  public static final long MAX_PACKET_BYTES = 16 * 1024;

  private NodeReadingTopic() {}

  /** The subscription filter for a fleet: {@code haulproof/v1/{fleet}/nodes/+/readings}. */
  public static String topicFilter(String fleet) {
    if (fleet.isEmpty() || fleet.contains("/") || fleet.contains("+") || fleet.contains("#")) {
      throw new IllegalArgumentException(
          "fleet '" + fleet + "' must be one topic level without wildcards");
    }
    return "haulproof/v1/" + fleet + "/nodes/+/readings";
  }

  /** The node id from {@code haulproof/v1/{fleet}/nodes/{node}/readings}. */
  public static String nodeOf(String topic) {
    String[] parts = topic.split("/", -1);
    if (parts.length != 6
        || !parts[3].equals("nodes")
        || !parts[5].equals("readings")
        || parts[4].isEmpty()) {
      throw new IllegalArgumentException(
          "topic '" + topic + "' is not haulproof/v1/{fleet}/nodes/{node}/readings");
    }
    return parts[4];
  }
}
