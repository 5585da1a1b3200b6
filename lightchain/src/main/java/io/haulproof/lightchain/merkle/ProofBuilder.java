package io.haulproof.lightchain.merkle;

import io.haulproof.lightchain.bytes.Hash;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Builds RFC 9162 §2.1 roots, inclusion proofs and consistency proofs from stored subtree hashes.
 *
 * <p>Every result reads O(log n) stored nodes: siblings on the path are complete, aligned subtrees
 * (one read each), except at most one subtree on the right edge of the tree, which is recomputed
 * from its O(log n) complete parts. The tree is never rebuilt. Any past size up to {@link
 * NodeReader#size()} can be asked for, because complete subtrees never change once written.
 */
public final class ProofBuilder {
  private final NodeReader nodes;

  public ProofBuilder(NodeReader nodes) {
    this.nodes = nodes;
  }

  /**
   * The root of the tree made of the first {@code size} leaves (RFC 9162 §2.1.1 MTH).
   *
   * <p>Preconditions: {@code 0 <= size <= nodes.size()}.
   */
  public Hash root(long size) {
    checkSize(size);
    return size == 0 ? Rfc9162.emptyRoot() : subtree(0, size);
  }

  /**
   * The audit path for leaf {@code index} in the tree of {@code size} leaves (RFC 9162 §2.1.3.1
   * PATH), leaf to root.
   *
   * <p>Preconditions: {@code 0 <= index < size <= nodes.size()}.
   */
  public List<Hash> inclusion(long index, long size) {
    checkSize(size);
    if (index < 0 || index >= size) {
      throw new IllegalArgumentException("index " + index + " out of range for size " + size);
    }
    List<Hash> path = new ArrayList<>(64);
    long start = 0;
    long end = size;
    long m = index;
    // Walk root to leaf, collecting siblings; PATH lists them leaf to root, so reverse at the end.
    while (end - start > 1) {
      long k = largestPowerOfTwoBelow(end - start);
      if (m < k) {
        path.add(subtree(start + k, end));
        end = start + k;
      } else {
        path.add(subtree(start, start + k));
        start += k;
        m -= k;
      }
    }
    Collections.reverse(path);
    return path;
  }

  /**
   * The proof that the tree of {@code size2} leaves extends the one of {@code size1} leaves (RFC
   * 9162 §2.1.4.1).
   *
   * <p>Preconditions: {@code 0 < size1 <= size2 <= nodes.size()}. Equal sizes give an empty proof.
   */
  public List<Hash> consistency(long size1, long size2) {
    checkSize(size2);
    if (size1 <= 0 || size1 > size2) {
      throw new IllegalArgumentException("size1 " + size1 + " out of range (0, " + size2 + "]");
    }
    List<Hash> proof = new ArrayList<>(64);
    if (size1 == size2) {
      return proof;
    }
    long start = 0;
    long end = size2;
    long m = size1;
    boolean complete = true;
    // SUBPROOF(m, D[start:end], complete), iteratively, root to leaf; reversed at the end.
    while (m != end - start) {
      long k = largestPowerOfTwoBelow(end - start);
      if (m <= k) {
        proof.add(subtree(start + k, end));
        end = start + k;
      } else {
        proof.add(subtree(start, start + k));
        start += k;
        m -= k;
        complete = false;
      }
    }
    if (!complete) {
      proof.add(subtree(start, end));
    }
    Collections.reverse(proof);
    return proof;
  }

  /**
   * MTH(D[start:end]); {@code start} is a multiple of the largest power of two not above {@code end
   * - start}.
   */
  Hash subtree(long start, long end) {
    long n = end - start;
    if (Long.bitCount(n) == 1) {
      int level = Long.numberOfTrailingZeros(n);
      return nodes.node(level, start >>> level);
    }
    // Right edge: fold the complete parts of [start, end) from the smallest (rightmost) up.
    Hash acc = null;
    long rest = n;
    while (rest != 0) {
      int level = Long.numberOfTrailingZeros(rest);
      long partStart = start + (rest - (1L << level));
      Hash part = nodes.node(level, partStart >>> level);
      acc = acc == null ? part : Rfc9162.nodeHash(part, acc);
      rest -= 1L << level;
    }
    return acc;
  }

  private void checkSize(long size) {
    long have = nodes.size();
    if (size < 0 || size > have) {
      throw new IllegalArgumentException("size " + size + " out of range [0, " + have + "]");
    }
  }

  static long largestPowerOfTwoBelow(long n) {
    return Long.highestOneBit(n - 1);
  }
}
