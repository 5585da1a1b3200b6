package io.haulproof.lightchain.crypto;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import java.security.PublicKey;
import java.util.Objects;

/**
 * A key identifier: the first 16 bytes of SHA-256 over the key's SubjectPublicKeyInfo DER
 * (DESIGN.md, "Envelope").
 *
 * <p>Security guarantees: a kid only selects a key; it never authenticates anything. Verification
 * always checks the signature with the key itself, and {@code CoseSign1.verify} checks that the kid
 * matches that key.
 */
public record Kid(Bytes value) implements Comparable<Kid> {
  public static final int SIZE = 16;

  public Kid {
    Objects.requireNonNull(value, "value");
    if (value.length() != SIZE) {
      throw new IllegalArgumentException("wrong kid size " + value.length() + ", want " + SIZE);
    }
  }

  /**
   * The kid of {@code key}, computed over {@link PublicKey#getEncoded()} (X.509
   * SubjectPublicKeyInfo DER).
   */
  public static Kid of(PublicKey key) {
    byte[] spki = key.getEncoded();
    if (spki == null || !"X.509".equals(key.getFormat())) {
      throw new IllegalArgumentException(
          "public key has no SubjectPublicKeyInfo encoding: " + key.getFormat());
    }
    return ofSpki(Bytes.wrap(spki));
  }

  /** The kid of a key given as SubjectPublicKeyInfo DER. */
  public static Kid ofSpki(Bytes spkiDer) {
    return new Kid(Hash.sha256(spkiDer).toBytes().slice(0, SIZE));
  }

  public static Kid fromHex(String hex) {
    return new Kid(Bytes.fromHex(hex));
  }

  public String toHex() {
    return value.toHex();
  }

  @Override
  public int compareTo(Kid o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
