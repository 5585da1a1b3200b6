package io.haulproof.lightchain.bytes;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable sequence of bytes.
 *
 * <p>Records never hold a raw {@code byte[]}; they hold a {@code Bytes}. The array passed in is
 * copied, and {@link #toByteArray()} returns a copy, so no caller can change a value another part
 * of the system has signed or hashed. {@link #equals(Object)} runs in time independent of where the
 * contents differ.
 */
public final class Bytes implements Comparable<Bytes> {
  private static final HexFormat HEX = HexFormat.of();
  public static final Bytes EMPTY = new Bytes(new byte[0]);

  private final byte[] data;

  private Bytes(byte[] data) {
    this.data = data;
  }

  /** Copies {@code data}. */
  public static Bytes of(byte... data) {
    return new Bytes(data.clone());
  }

  /** Copies {@code length} bytes of {@code data} from {@code offset}. */
  public static Bytes of(byte[] data, int offset, int length) {
    return new Bytes(Arrays.copyOfRange(data, offset, offset + length));
  }

  /** Takes ownership of {@code data} without copying; the caller must not change it afterwards. */
  public static Bytes wrap(byte[] data) {
    return new Bytes(data);
  }

  /**
   * Parses lowercase or uppercase hex.
   *
   * @throws IllegalArgumentException if {@code hex} has odd length or a non-hex character
   */
  public static Bytes fromHex(String hex) {
    return new Bytes(HEX.parseHex(hex.trim()));
  }

  public int length() {
    return data.length;
  }

  public boolean isEmpty() {
    return data.length == 0;
  }

  public byte get(int index) {
    return data[index];
  }

  /** A fresh copy of the contents. */
  public byte[] toByteArray() {
    return data.clone();
  }

  /** The bytes from {@code from} (inclusive) to {@code to} (exclusive). */
  public Bytes slice(int from, int to) {
    return new Bytes(Arrays.copyOfRange(data, from, to));
  }

  public Bytes concat(Bytes other) {
    byte[] out = Arrays.copyOf(data, data.length + other.data.length);
    System.arraycopy(other.data, 0, out, data.length, other.data.length);
    return new Bytes(out);
  }

  /** Feeds the contents to a digest without copying them. */
  public void updateDigest(MessageDigest digest) {
    digest.update(data);
  }

  public String toHex() {
    return HEX.formatHex(data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes other && MessageDigest.isEqual(data, other.data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data);
  }

  @Override
  public int compareTo(Bytes o) {
    return Arrays.compareUnsigned(data, o.data);
  }

  @Override
  public String toString() {
    return data.length <= 64
        ? toHex()
        : HEX.formatHex(data, 0, 32) + "…(" + data.length + " bytes)";
  }
}
