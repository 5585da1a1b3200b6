package io.haulproof.lightchain.entry;

/**
 * Looks up enum constants by their wire code, the ordinal plus one unless stated otherwise;
 * package-private.
 */
final class Codes {
  private Codes() {}

  static int of(Enum<?> e) {
    return e.ordinal() + 1;
  }

  static <E extends Enum<E>> E from(Class<E> type, long code) {
    E[] all = type.getEnumConstants();
    if (code < 1 || code > all.length) {
      throw new IllegalArgumentException(
          "unknown " + type.getSimpleName() + " code " + code + ", want 1.." + all.length);
    }
    return all[(int) code - 1];
  }
}
