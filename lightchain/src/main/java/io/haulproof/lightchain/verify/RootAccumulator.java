package io.haulproof.lightchain.verify;

import io.haulproof.lightchain.bytes.Hash;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Recomputes RFC 9162 §2.1 roots from leaf hashes alone, independently of any stored tree: a
 * compact range holding one subtree root per set bit of the size, so appending is amortised O(1)
 * and a root costs O(log n).
 *
 * <p>The verifier uses it instead of the log's own node store so that damaged stored nodes cannot
 * vouch for themselves. Not thread-safe.
 */
public final class RootAccumulator {
  private static final byte NODE = 0x01;
  private final List<byte[]> stack = new ArrayList<>();
  private final MessageDigest digest = Hash.newDigest();
  private long size;

  /** The RFC 9162 leaf hash SHA-256(0x00 ‖ data). */
  public static byte[] leafHash(MessageDigest d, byte[] data) {
    d.reset();
    d.update((byte) 0x00);
    d.update(data);
    return d.digest();
  }

  public long size() {
    return size;
  }

  /** Appends the next leaf's hash (32 bytes, already leaf-hashed). */
  public void append(byte[] leafHash) {
    byte[] h = leafHash;
    for (long s = size; (s & 1) == 1; s >>>= 1) {
      h = node(stack.remove(stack.size() - 1), h);
    }
    stack.add(h);
    size++;
  }

  /** The root of the leaves appended so far; the SHA-256 of the empty string for none. */
  public Hash root() {
    if (stack.isEmpty()) {
      digest.reset();
      return Hash.wrap(digest.digest());
    }
    byte[] r = stack.get(stack.size() - 1);
    for (int i = stack.size() - 2; i >= 0; i--) {
      r = node(stack.get(i), r);
    }
    return Hash.wrap(r.clone());
  }

  private byte[] node(byte[] left, byte[] right) {
    digest.reset();
    digest.update(NODE);
    digest.update(left);
    digest.update(right);
    return digest.digest();
  }
}
