package io.haulproof.lightchain.poah;

/**
 * MQTT topics of multi-node Proof-of-Authentication: {@code
 * haulproof/v1/{fleet}/poah/{chain}/proposal}, {@code …/authentication}, {@code …/rejection},
 * {@code …/need} and {@code …/evidence} (DESIGN.md, "Multi-node"; docs/chain.md). Transport lives
 * in the authenticator module; this only names them.
 */
public final class PoahTopics {
  private PoahTopics() {}

  public static String proposal(String fleet, String chain) {
    return base(fleet, chain) + "proposal";
  }

  public static String authentication(String fleet, String chain) {
    return base(fleet, chain) + "authentication";
  }

  public static String rejection(String fleet, String chain) {
    return base(fleet, chain) + "rejection";
  }

  public static String need(String fleet, String chain) {
    return base(fleet, chain) + "need";
  }

  public static String evidence(String fleet, String chain) {
    return base(fleet, chain) + "evidence";
  }

  /** The filter over every chain of {@code fleet} for one message kind, e.g. "proposal". */
  public static String everyChain(String fleet, String kind) {
    check(fleet, "fleet");
    check(kind, "kind");
    return "haulproof/v1/" + fleet + "/poah/+/" + kind;
  }

  /** The chain level of a PoAh topic, or empty if {@code topic} is not one. */
  public static java.util.Optional<String> chainOf(String topic) {
    String[] l = topic.split("/", -1);
    if (l.length != 6 || !l[0].equals("haulproof") || !l[1].equals("v1") || !l[3].equals("poah")) {
      return java.util.Optional.empty();
    }
    return l[4].isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(l[4]);
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
