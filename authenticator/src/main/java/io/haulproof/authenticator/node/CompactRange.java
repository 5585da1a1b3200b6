package io.haulproof.authenticator.node;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * The RFC 9162 compact range {@code [0, size)}: one subtree root per set bit of the size, largest
 * first (the right edge of the tree). It is all an authenticator keeps of a chain's tree: appending
 * a leaf is amortised O(1), the root costs O(log n), and it stores in {@code 32 · popcount(size)}
 * bytes.
 *
 * <p>Immutable: {@link #append} returns a new range.
 */
public record CompactRange(long size, List<Hash> hashes) {
  public CompactRange {
    hashes = List.copyOf(hashes);
    if (size < 0 || Long.bitCount(size) != hashes.size()) {
      throw new IllegalArgumentException(
          "compact range of size " + size + " needs " + Long.bitCount(size) + " hashes");
    }
  }

  public static CompactRange empty() {
    return new CompactRange(0, List.of());
  }

  /** The RFC 9162 leaf hash SHA-256(0x00 ‖ entry). */
  public static Hash leafHash(Bytes entry) {
    MessageDigest d = Hash.newDigest();
    d.update((byte) 0x00);
    entry.updateDigest(d);
    return Hash.wrap(d.digest());
  }

  /** This range with {@code entries} appended as leaves. */
  public CompactRange append(List<Bytes> entries) {
    MessageDigest d = Hash.newDigest();
    List<byte[]> stack = new ArrayList<>(hashes.size() + 1);
    hashes.forEach(h -> stack.add(h.toByteArray()));
    long s = size;
    for (Bytes e : entries) {
      byte[] h = leafHash(e).toByteArray();
      for (long x = s; (x & 1) == 1; x >>>= 1) {
        h = node(d, stack.remove(stack.size() - 1), h);
      }
      stack.add(h);
      s++;
    }
    return new CompactRange(s, stack.stream().map(Hash::wrap).toList());
  }

  /** The RFC 9162 root; SHA-256 of the empty string for an empty tree. */
  public Hash root() {
    MessageDigest d = Hash.newDigest();
    if (hashes.isEmpty()) {
      return Hash.wrap(d.digest());
    }
    byte[] r = hashes.get(hashes.size() - 1).toByteArray();
    for (int i = hashes.size() - 2; i >= 0; i--) {
      r = node(d, hashes.get(i).toByteArray(), r);
    }
    return Hash.wrap(r);
  }

  private static byte[] node(MessageDigest d, byte[] left, byte[] right) {
    d.reset();
    d.update((byte) 0x01);
    d.update(left);
    d.update(right);
    return d.digest();
  }
}
