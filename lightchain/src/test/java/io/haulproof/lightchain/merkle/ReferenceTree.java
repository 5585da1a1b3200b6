package io.haulproof.lightchain.merkle;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * A deliberately naive RFC 9162 §2.1 tree: recursive, straight from the RFC's definitions,
 * recomputing everything.
 *
 * <p>It shares no code with the production tree (not even {@link Rfc9162}) so that it can
 * cross-check it.
 */
final class ReferenceTree {
  private final List<Bytes> leaves;

  ReferenceTree(List<Bytes> leaves) {
    this.leaves = leaves;
  }

  static Hash sha(byte prefix, byte[]... parts) {
    MessageDigest d = Hash.newDigest();
    if (prefix >= 0) {
      d.update(prefix);
    }
    for (byte[] p : parts) {
      d.update(p);
    }
    return Hash.of(d.digest());
  }

  static Hash leaf(Bytes data) {
    return sha((byte) 0, data.toByteArray());
  }

  /** MTH(D[lo:hi]). */
  Hash mth(int lo, int hi) {
    int n = hi - lo;
    if (n == 0) {
      return sha((byte) -1);
    }
    if (n == 1) {
      return leaf(leaves.get(lo));
    }
    int k = split(n);
    return sha((byte) 1, mth(lo, lo + k).toByteArray(), mth(lo + k, hi).toByteArray());
  }

  /** PATH(m, D[lo:hi]). */
  List<Hash> path(int m, int lo, int hi) {
    int n = hi - lo;
    List<Hash> out = new ArrayList<>();
    if (n <= 1) {
      return out;
    }
    int k = split(n);
    if (m < k) {
      out.addAll(path(m, lo, lo + k));
      out.add(mth(lo + k, hi));
    } else {
      out.addAll(path(m - k, lo + k, hi));
      out.add(mth(lo, lo + k));
    }
    return out;
  }

  /** PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
  List<Hash> proof(int m, int n) {
    return subproof(m, 0, n, true);
  }

  private List<Hash> subproof(int m, int lo, int hi, boolean b) {
    int n = hi - lo;
    List<Hash> out = new ArrayList<>();
    if (m == n) {
      if (!b) {
        out.add(mth(lo, hi));
      }
      return out;
    }
    int k = split(n);
    if (m <= k) {
      out.addAll(subproof(m, lo, lo + k, b));
      out.add(mth(lo + k, hi));
    } else {
      out.addAll(subproof(m - k, lo + k, hi, false));
      out.add(mth(lo, lo + k));
    }
    return out;
  }

  /** The largest power of two smaller than n (n > 1). */
  private static int split(int n) {
    int k = 1;
    while (k * 2 < n) {
      k *= 2;
    }
    return k;
  }
}
