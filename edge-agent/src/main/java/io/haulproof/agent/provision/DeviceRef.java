package io.haulproof.agent.provision;

import io.haulproof.uplink.Topics;
import java.util.regex.Pattern;

/**
 * A device's name within a fleet, as used in certificates and MQTT topics ({@code
 * haulproof/v1/{fleet}/{device}/}).
 *
 * <p>Both parts are restricted to letters, digits, dot, dash and underscore so that they can never
 * inject MQTT wildcards or topic levels, nor X.500 name syntax.
 */
public record DeviceRef(String fleet, String device) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  public DeviceRef {
    requireName("fleet", fleet);
    requireName("device", device);
  }

  /** Checks one name part and returns it. */
  public static String requireName(String what, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "bad "
              + what
              + " name "
              + (value == null ? "null" : "\"" + value + "\"")
              + ", want "
              + NAME.pattern());
    }
    return value;
  }

  /** The topic root {@code haulproof/v1/{fleet}/{device}/} followed by {@code suffix}. */
  public String topic(String suffix) {
    return "haulproof/v1/" + fleet + "/" + device + "/" + suffix;
  }

  @Override
  public String toString() {
    return Topics.key(fleet, device);
  }
}
