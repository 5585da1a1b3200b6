package io.haulproof.lightchain.bytes;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A SHA-256 value: exactly 32 bytes, immutable.
 *
 * <p>SHA-256 is computed with the JDK's {@link MessageDigest} (measured faster than Bouncy Castle's
 * here).
 */
public final class Hash implements Comparable<Hash> {
  public static final int SIZE = 32;
  private static final HexFormat HEX = HexFormat.of();

  private final byte[] value;

  private Hash(byte[] value) {
    this.value = value;
  }

  /**
   * Copies a 32-byte value.
   *
   * @throws IllegalArgumentException if {@code value} is not 32 bytes long
   */
  public static Hash of(byte[] value) {
    if (value.length != SIZE) {
      throw new IllegalArgumentException("wrong hash size " + value.length + ", want " + SIZE);
    }
    return new Hash(value.clone());
  }

  /**
   * Takes ownership of a 32-byte array without copying, for hot paths; the caller must not change
   * it.
   */
  public static Hash wrap(byte[] value) {
    if (value.length != SIZE) {
      throw new IllegalArgumentException("wrong hash size " + value.length + ", want " + SIZE);
    }
    return new Hash(value);
  }

  public static Hash fromHex(String hex) {
    return of(HEX.parseHex(hex.trim()));
  }

  public static Hash fromBase64(String b64) {
    return of(Base64.getDecoder().decode(b64.trim()));
  }

  /** SHA-256 over {@code data}. */
  public static Hash sha256(byte[] data) {
    return new Hash(newDigest().digest(data));
  }

  /** SHA-256 over {@code data}. */
  public static Hash sha256(Bytes data) {
    MessageDigest d = newDigest();
    data.updateDigest(d);
    return new Hash(d.digest());
  }

  /** A new SHA-256 digest; every JDK must provide one. */
  public static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  public byte[] toByteArray() {
    return value.clone();
  }

  /** Feeds the value to a digest without copying it. */
  public void updateDigest(MessageDigest digest) {
    digest.update(value);
  }

  /** Writes the 32 bytes into {@code dst} at {@code offset}. */
  public void copyTo(byte[] dst, int offset) {
    System.arraycopy(value, 0, dst, offset, SIZE);
  }

  public Bytes toBytes() {
    return Bytes.of(value);
  }

  public String toHex() {
    return HEX.formatHex(value);
  }

  public String toBase64() {
    return Base64.getEncoder().encodeToString(value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hash other && MessageDigest.isEqual(value, other.value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value);
  }

  @Override
  public int compareTo(Hash o) {
    return Arrays.compareUnsigned(value, o.value);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
