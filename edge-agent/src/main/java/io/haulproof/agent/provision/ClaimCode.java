package io.haulproof.agent.provision;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * The claim code printed on a device's label: 16 Crockford base32 characters (80 bits), shown in
 * groups of four.
 *
 * <p>The code itself never goes over the network and is never stored on the device; the device
 * holds only a salted, stretched derivation of it ({@link ClaimKey}). Security guarantees: {@link
 * #toString()} does not reveal the code.
 */
public final class ClaimCode {
  private static final String ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  private static final int LENGTH = 16;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String normalized;

  private ClaimCode(String normalized) {
    this.normalized = normalized;
  }

  /** A fresh random code, for printing a new label. */
  public static ClaimCode generate() {
    StringBuilder sb = new StringBuilder(LENGTH);
    for (int i = 0; i < LENGTH; i++) {
      sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return new ClaimCode(sb.toString());
  }

  /**
   * Parses what a technician typed: case, spaces and dashes are ignored, and I/L read as 1, O as 0
   * (Crockford).
   *
   * @throws IllegalArgumentException if the code has the wrong length or a character outside the
   *     alphabet
   */
  public static ClaimCode parse(String typed) {
    StringBuilder sb = new StringBuilder(LENGTH);
    for (char c : typed.toUpperCase(Locale.ROOT).toCharArray()) {
      if (c == '-' || c == ' ') {
        continue;
      }
      char n = c == 'I' || c == 'L' ? '1' : c == 'O' ? '0' : c;
      if (ALPHABET.indexOf(n) < 0) {
        throw new IllegalArgumentException("claim code has a character outside Crockford base32");
      }
      sb.append(n);
    }
    if (sb.length() != LENGTH) {
      throw new IllegalArgumentException(
          "claim code has " + sb.length() + " characters, want " + LENGTH);
    }
    return new ClaimCode(sb.toString());
  }

  /** The code as printed on the label: XXXX-XXXX-XXXX-XXXX. */
  public String label() {
    return normalized.substring(0, 4)
        + "-"
        + normalized.substring(4, 8)
        + "-"
        + normalized.substring(8, 12)
        + "-"
        + normalized.substring(12);
  }

  char[] chars() {
    return normalized.toCharArray();
  }

  @Override
  public String toString() {
    return "ClaimCode(****)";
  }
}
