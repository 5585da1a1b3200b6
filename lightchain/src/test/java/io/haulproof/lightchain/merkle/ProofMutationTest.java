package io.haulproof.lightchain.merkle;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random mutations of valid proofs (flipped bits, dropped, added, swapped hashes, wrong
 * sizes) never verify.
 */
class ProofMutationTest {
  static LongStream seeds() {
    return LongStream.range(0, 200);
  }

  private static MerkleTree tree(Random r, int n) {
    MerkleTree t = MerkleTree.inMemory();
    for (int i = 0; i < n; i++) {
      byte[] b = new byte[8];
      r.nextBytes(b);
      t.append(Rfc9162.leafHash(Bytes.of(b)));
    }
    return t;
  }

  private static List<Hash> mutate(Random r, List<Hash> proof) {
    List<Hash> p = new ArrayList<>(proof);
    int kind = p.isEmpty() ? 1 : r.nextInt(4);
    switch (kind) {
      case 0 -> {
        int i = r.nextInt(p.size());
        byte[] b = p.get(i).toByteArray();
        int bit = r.nextInt(256);
        b[bit / 8] ^= (byte) (1 << (bit % 8));
        p.set(i, Hash.of(b));
      }
      case 1 -> {
        byte[] b = new byte[32];
        r.nextBytes(b);
        p.add(r.nextInt(p.size() + 1), Hash.of(b));
      }
      case 2 -> p.remove(r.nextInt(p.size()));
      default -> {
        if (p.size() < 2 || p.get(0).equals(p.get(p.size() - 1))) {
          p.remove(0);
        } else {
          Hash first = p.get(0);
          p.set(0, p.get(p.size() - 1));
          p.set(p.size() - 1, first);
        }
      }
    }
    return p;
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void verifyInclusion_mutatedProof_isRejected(long seed) {
    // given
    Random r = new Random(seed);
    int n = 1 + r.nextInt(2000);
    MerkleTree t = tree(r, n);
    long index = r.nextInt(n);
    Hash root = t.root();
    Hash leaf = t.leafHash(index);
    List<Hash> bad = mutate(r, t.inclusionProof(index, n));

    // when / then
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(index, n, leaf, bad, root))
        .isInstanceOf(ProofException.class);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void verifyInclusion_neighbourIndex_isRejected(long seed) {
    // given
    Random r = new Random(seed);
    int n = 2 + r.nextInt(2000);
    MerkleTree t = tree(r, n);
    long index = r.nextInt(n - 1);
    Hash root = t.root();
    Hash leaf = t.leafHash(index);
    List<Hash> proof = t.inclusionProof(index, n);

    // when / then: a proof is bound to its index (the size is bound to the root by the signed
    // checkpoint)
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(index + 1, n, leaf, proof, root))
        .isInstanceOf(ProofException.class);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void verifyConsistency_mutatedProof_isRejected(long seed) {
    // given
    Random r = new Random(seed);
    int n = 2 + r.nextInt(2000);
    MerkleTree t = tree(r, n);
    long m = 1 + r.nextInt(n - 1);
    Hash root1 = t.root(m);
    Hash root2 = t.root();
    List<Hash> proof = t.consistencyProof(m, n);
    List<Hash> bad = mutate(r, proof);

    // when / then
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(m, n, bad, root1, root2))
        .isInstanceOf(ProofException.class);
    assertThatThrownBy(() -> ProofVerifier.verifyConsistency(m, n, proof, root2, root1))
        .isInstanceOf(ProofException.class);
  }
}
