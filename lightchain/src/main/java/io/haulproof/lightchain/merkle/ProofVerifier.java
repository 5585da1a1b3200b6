package io.haulproof.lightchain.merkle;

import io.haulproof.lightchain.bytes.Hash;
import java.util.List;

/**
 * Checks RFC 9162 §2.1.3.2 inclusion proofs and §2.1.4.2 consistency proofs; building proofs is
 * {@link ProofBuilder}'s job.
 *
 * <p>Security guarantees: a method returns normally only if the proof binds the given leaf hash or
 * old root to the given root at exactly the given tree size. The proof length is checked against
 * the sizes before any hashing, so a proof made for another size is rejected. Every failure throws
 * {@link ProofException} naming both values; there is no boolean to forget. Ported from
 * transparency-dev/merkle {@code proof/verify.go}.
 */
public final class ProofVerifier {
  private ProofVerifier() {}

  /**
   * Verifies that {@code leafHash} is the leaf at {@code index} in the tree of {@code size} leaves
   * with {@code root}.
   *
   * <p>Preconditions: {@code 0 <= index < size}; otherwise it throws.
   *
   * @param proof the audit path, leaf to root, as {@link ProofBuilder#inclusion} returns it
   * @throws ProofException if the index is out of range, the proof has the wrong length or the root
   *     does not match
   */
  public static void verifyInclusion(
      long index, long size, Hash leafHash, List<Hash> proof, Hash root) throws ProofException {
    Hash calculated = rootFromInclusionProof(index, size, leafHash, proof);
    match(calculated, root, "root");
  }

  /**
   * Computes the root that an inclusion proof implies; callers compare it with a root they trust.
   *
   * <p>Preconditions: {@code 0 <= index < size}.
   *
   * @throws ProofException if the index is out of range or the proof has the wrong length
   */
  public static Hash rootFromInclusionProof(long index, long size, Hash leafHash, List<Hash> proof)
      throws ProofException {
    if (index < 0 || size <= 0 || index >= size) {
      throw new ProofException(
          "index " + Long.toUnsignedString(index) + " out of range for size " + size);
    }
    int inner = innerProofSize(index, size);
    int border = Long.bitCount(index >>> inner);
    if (proof.size() != inner + border) {
      throw new ProofException("wrong proof size " + proof.size() + ", want " + (inner + border));
    }
    Hash res = chainInner(leafHash, proof.subList(0, inner), index);
    return chainBorderRight(res, proof.subList(inner, proof.size()));
  }

  /**
   * Verifies that the tree of {@code size2} leaves with {@code root2} extends the tree of {@code
   * size1} leaves with {@code root1}.
   *
   * <p>Preconditions: {@code 0 < size1 <= size2}. A consistency proof from the empty tree proves
   * nothing, so size 0 is rejected (RFC 9162 §2.1.4 defines proofs for {@code 0 < m}). Equal sizes
   * need an empty proof and equal roots.
   *
   * @param proof the proof hashes as {@link ProofBuilder#consistency} returns them
   * @throws ProofException if a precondition fails, the proof has the wrong length or either root
   *     does not match
   */
  public static void verifyConsistency(
      long size1, long size2, List<Hash> proof, Hash root1, Hash root2) throws ProofException {
    if (size1 <= 0) {
      throw new ProofException("size1 " + size1 + " out of range, want > 0");
    }
    if (size2 < size1) {
      throw new ProofException("size2 " + size2 + " < size1 " + size1);
    }
    if (size1 == size2) {
      if (!proof.isEmpty()) {
        throw new ProofException("wrong proof size " + proof.size() + ", want 0");
      }
      match(root2, root1, "root");
      return;
    }
    if (proof.isEmpty()) {
      throw new ProofException("wrong proof size 0 for sizes " + size1 + " and " + size2);
    }
    int inner = innerProofSize(size1 - 1, size2);
    int border = Long.bitCount((size1 - 1) >>> inner);
    int shift = Long.numberOfTrailingZeros(size1);
    inner -= shift;
    Hash seed = proof.get(0);
    int start = 1;
    if (size1 == 1L << shift) {
      seed = root1;
      start = 0;
    }
    int want = start + inner + border;
    if (proof.size() != want) {
      throw new ProofException("wrong proof size " + proof.size() + ", want " + want);
    }
    List<Hash> rest = proof.subList(start, proof.size());
    long mask = (size1 - 1) >>> shift;
    Hash hash1 = chainInnerRight(seed, rest.subList(0, inner), mask);
    hash1 = chainBorderRight(hash1, rest.subList(inner, rest.size()));
    match(hash1, root1, "root1");
    Hash hash2 = chainInner(seed, rest.subList(0, inner), mask);
    hash2 = chainBorderRight(hash2, rest.subList(inner, rest.size()));
    match(hash2, root2, "root2");
  }

  private static int innerProofSize(long index, long size) {
    return 64 - Long.numberOfLeadingZeros(index ^ (size - 1));
  }

  private static Hash chainInner(Hash seed, List<Hash> proof, long index) {
    for (int i = 0; i < proof.size(); i++) {
      seed =
          ((index >>> i) & 1) == 0
              ? Rfc9162.nodeHash(seed, proof.get(i))
              : Rfc9162.nodeHash(proof.get(i), seed);
    }
    return seed;
  }

  private static Hash chainInnerRight(Hash seed, List<Hash> proof, long index) {
    for (int i = 0; i < proof.size(); i++) {
      if (((index >>> i) & 1) == 1) {
        seed = Rfc9162.nodeHash(proof.get(i), seed);
      }
    }
    return seed;
  }

  private static Hash chainBorderRight(Hash seed, List<Hash> proof) {
    for (Hash h : proof) {
      seed = Rfc9162.nodeHash(h, seed);
    }
    return seed;
  }

  private static void match(Hash calculated, Hash expected, String what) throws ProofException {
    if (!calculated.equals(expected)) {
      throw new ProofException(
          "calculated " + what + " " + calculated.toHex() + ", want " + expected.toHex());
    }
  }
}
