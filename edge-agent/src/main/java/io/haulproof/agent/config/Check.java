package io.haulproof.agent.config;

import java.util.Collection;
import java.util.regex.Pattern;

/** Validation helpers for configuration records; each failure names the key and the problem. */
final class Check {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private Check() {}

  static <T> T required(String key, T value) {
    if (value == null) {
      throw new ConfigException(key, "is required");
    }
    return value;
  }

  static <T> T orDefault(T value, T fallback) {
    return value == null ? fallback : value;
  }

  static int range(String key, Integer value, int defaultValue, int min, int max) {
    int v = value == null ? defaultValue : value;
    if (v < min || v > max) {
      throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + v);
    }
    return v;
  }

  static long range(String key, Long value, long defaultValue, long min, long max) {
    long v = value == null ? defaultValue : value;
    if (v < min || v > max) {
      throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + v);
    }
    return v;
  }

  static double range(String key, Double value, double min, double max) {
    if (value == null) {
      throw new ConfigException(key, "is required");
    }
    if (!(value >= min && value <= max)) {
      throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + value);
    }
    return value;
  }

  /** An identifier usable in MQTT topics and file names: letters, digits, '.', '_' and '-'. */
  static String id(String key, String value) {
    required(key, value);
    if (!ID.matcher(value).matches()) {
      throw new ConfigException(key, "must match " + ID.pattern() + ", got \"" + value + "\"");
    }
    return value;
  }

  static String oneOf(String key, String value, String defaultValue, Collection<String> allowed) {
    String v = value == null ? defaultValue : value;
    if (v == null || !allowed.contains(v)) {
      throw new ConfigException(
          key, "must be one of " + allowed + ", got " + (v == null ? "nothing" : "\"" + v + "\""));
    }
    return v;
  }
}
