package io.haulproof.ledger;

import java.util.regex.Pattern;

/**
 * The names the ledger accepts for fleets and devices: 1 to 64 of {@code [A-Za-z0-9_-]} and {@code
 * .}, starting with a letter or digit, so never {@code .}, {@code ..} or a hidden name. The ledger
 * takes fleet and device from the device certificate; a topic's segments must equal them.
 */
public final class Names {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private Names() {}

  public static boolean valid(String name) {
    return name != null && NAME.matcher(name).matches();
  }

  /**
   * Checks {@code name}.
   *
   * @throws IllegalArgumentException naming {@code what} if it is not a valid name
   */
  public static String require(String what, String name) {
    if (!valid(name)) {
      throw new IllegalArgumentException(
          "bad "
              + what
              + " name '"
              + (name == null ? "" : name.replaceAll("[^\\x20-\\x7e]", "?"))
              + "': want 1-64 of [A-Za-z0-9._-] starting with a letter or digit");
    }
    return name;
  }
}
