package io.haulproof.lightchain.crypto;

/**
 * The COSE signature algorithms Haulproof supports (RFC 9053 §2): ES256 (the default) and EdDSA
 * over Ed25519.
 */
public enum CoseAlgorithm {
  /** ECDSA over P-256 with SHA-256; signatures are raw {@code r‖s}, 64 bytes. */
  ES256(-7, 64),
  /** EdDSA; Haulproof supports the Ed25519 curve only; signatures are 64 bytes. */
  EDDSA(-8, 64);

  private final int value;
  private final int signatureLength;

  CoseAlgorithm(int value, int signatureLength) {
    this.value = value;
    this.signatureLength = signatureLength;
  }

  /** The COSE algorithm identifier, the value of header label 1. */
  public int value() {
    return value;
  }

  public int signatureLength() {
    return signatureLength;
  }

  /**
   * The algorithm with COSE identifier {@code value}.
   *
   * @throws VerificationException if Haulproof does not support it
   */
  public static CoseAlgorithm fromValue(long value) {
    for (CoseAlgorithm a : values()) {
      if (a.value == value) {
        return a;
      }
    }
    throw new VerificationException(
        "unsupported COSE algorithm " + value + ", want -7 (ES256) or -8 (EdDSA)");
  }
}
