package io.haulproof.lightchain.merkle;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import java.security.MessageDigest;

/**
 * The RFC 9162 §2.1.1 Merkle tree hasher over SHA-256 (the JDK's {@link MessageDigest}).
 *
 * <p>Leaf hashes and interior node hashes use distinct prefixes (0x00 and 0x01), so a 64-byte leaf
 * can never pass as an interior node (CVE-2017-12842), and an odd leaf is never duplicated
 * (CVE-2012-2459).
 */
public final class Rfc9162 {
  private static final byte LEAF_PREFIX = 0x00;
  private static final byte NODE_PREFIX = 0x01;
  private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(Hash::newDigest);
  private static final Hash EMPTY_ROOT = Hash.sha256(new byte[0]);

  private Rfc9162() {}

  /** The root of the empty tree: SHA-256 of the empty string. */
  public static Hash emptyRoot() {
    return EMPTY_ROOT;
  }

  /** The leaf hash SHA-256(0x00 ‖ data). */
  public static Hash leafHash(Bytes data) {
    MessageDigest d = DIGEST.get();
    d.update(LEAF_PREFIX);
    data.updateDigest(d);
    return Hash.wrap(d.digest());
  }

  /** The leaf hash SHA-256(0x00 ‖ data[offset, offset+length)). */
  public static Hash leafHash(byte[] data, int offset, int length) {
    MessageDigest d = DIGEST.get();
    d.update(LEAF_PREFIX);
    d.update(data, offset, length);
    return Hash.wrap(d.digest());
  }

  /** The interior node hash SHA-256(0x01 ‖ left ‖ right). */
  public static Hash nodeHash(Hash left, Hash right) {
    MessageDigest d = DIGEST.get();
    d.update(NODE_PREFIX);
    left.updateDigest(d);
    right.updateDigest(d);
    return Hash.wrap(d.digest());
  }

  /** The interior node hash over raw 32-byte values, for the append hot path. */
  static byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest d = DIGEST.get();
    d.update(NODE_PREFIX);
    d.update(left);
    d.update(right);
    return d.digest();
  }
}
