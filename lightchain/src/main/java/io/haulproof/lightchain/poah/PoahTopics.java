package io.haulproof.lightchain.poah;

/**
 * MQTT topics of multi-node Proof-of-Authentication: {@code
 * haulproof/v1/{fleet}/poah/{chain}/proposal} and {@code …/authentication} (DESIGN.md,
 * "Multi-node"). Transport lives in the uplink module; this only names them.
 */
public final class PoahTopics {
  private PoahTopics() {}

  public static String proposal(String fleet, String chain) {
    return base(fleet, chain) + "proposal";
  }

  public static String authentication(String fleet, String chain) {
    return base(fleet, chain) + "authentication";
  }

  private static String base(String fleet, String chain) {
    check(fleet, "fleet");
    check(chain, "chain");
    return "haulproof/v1/" + fleet + "/poah/" + chain + "/";
  }

  private static void check(String level, String what) {
    if (level == null
        || level.isEmpty()
        || level.contains("/")
        || level.contains("+")
        || level.contains("#")) {
      throw new IllegalArgumentException("bad " + what + " topic level '" + level + "'");
    }
  }
}
