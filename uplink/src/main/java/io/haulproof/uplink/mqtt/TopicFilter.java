package io.haulproof.uplink.mqtt;

/** MQTT topic filter matching with {@code +} and {@code #} wildcards (MQTT 5.0 §4.7). */
public final class TopicFilter {
  private TopicFilter() {}

  /** True if topic name {@code topic} matches {@code filter}. */
  public static boolean matches(String filter, String topic) {
    if (filter.startsWith("$share/")) {
      // §4.8.2: $share/{ShareName}/{filter}; messages arrive under their own topic names
      int slash = filter.indexOf('/', "$share/".length());
      if (slash < 0) {
        return false;
      }
      filter = filter.substring(slash + 1);
    }
    String[] f = filter.split("/", -1);
    String[] t = topic.split("/", -1);
    if (!topic.isEmpty() && topic.charAt(0) == '$' && (f[0].equals("+") || f[0].equals("#"))) {
      return false; // §4.7.2: wildcards at the first level do not match $-topics
    }
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals("#")) {
        return true;
      }
      if (i >= t.length) {
        return false;
      }
      if (!f[i].equals("+") && !f[i].equals(t[i])) {
        return false;
      }
    }
    return f.length == t.length;
  }
}
