package io.haulproof.lightchain.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cross-checks the stored tree against the naive {@link ReferenceTree} for every size 0..300.
 *
 * <p>One file-backed tree is filled with 300 leaves; roots and proofs for every smaller size are
 * then asked of it at that past size, which is exactly what checkpoints and {@code chain proof
 * --size N} need.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MerkleTreeReferenceTest {
  private static final int MAX = 300;
  private static final int DENSE = 130;

  @TempDir static Path dir;
  private final List<Bytes> leaves = new ArrayList<>();
  private ReferenceTree reference;
  private MerkleTree tree;

  @BeforeAll
  void fill() throws Exception {
    Random r = new Random(9162);
    tree = MerkleTree.open(dir.resolve("tree"));
    for (int i = 0; i < MAX; i++) {
      byte[] b = new byte[r.nextInt(80)];
      r.nextBytes(b);
      leaves.add(Bytes.of(b));
      tree.append(Rfc9162.leafHash(Bytes.of(b)));
    }
    reference = new ReferenceTree(leaves);
  }

  @AfterAll
  void close() throws Exception {
    tree.close();
  }

  Stream<Integer> sizes() {
    return IntStream.rangeClosed(0, MAX).boxed();
  }

  /** All indices up to DENSE leaves, then the edges plus 40 seeded random ones. */
  private static Set<Integer> sample(int n, long seed) {
    Set<Integer> s = new HashSet<>();
    if (n <= DENSE) {
      IntStream.range(0, n).forEach(s::add);
      return s;
    }
    Random r = new Random(seed);
    s.add(0);
    s.add(1);
    s.add(n - 1);
    s.add(n - 2);
    s.add(Integer.highestOneBit(n - 1));
    s.add(Integer.highestOneBit(n - 1) - 1);
    for (int i = 0; i < 40; i++) {
      s.add(r.nextInt(n));
    }
    return s;
  }

  @ParameterizedTest(name = "size {0}")
  @MethodSource("sizes")
  void root_everySize_matchesReference(int n) {
    // when
    Hash root = tree.root(n);

    // then
    assertThat(root).isEqualTo(reference.mth(0, n));
  }

  @ParameterizedTest(name = "size {0}")
  @MethodSource("sizes")
  void inclusionProof_everySize_matchesReferenceAndVerifies(int n) {
    Hash root = reference.mth(0, n);
    for (int i : sample(n, n)) {
      // when
      List<Hash> proof = tree.inclusionProof(i, n);

      // then
      assertThat(proof).as("index %d size %d", i, n).isEqualTo(reference.path(i, 0, n));
      Hash leaf = ReferenceTree.leaf(leaves.get(i));
      assertThatCode(() -> ProofVerifier.verifyInclusion(i, n, leaf, proof, root))
          .doesNotThrowAnyException();
    }
  }

  @ParameterizedTest(name = "size {0}")
  @MethodSource("sizes")
  void consistencyProof_everySize_matchesReferenceAndVerifies(int n) {
    Hash root2 = reference.mth(0, n);
    for (int m : sample(n + 1, 7L * n)) {
      if (m == 0) {
        continue;
      }
      // when
      List<Hash> proof = tree.consistencyProof(m, n);

      // then
      assertThat(proof)
          .as("size1 %d size2 %d", m, n)
          .isEqualTo(m == n ? List.of() : reference.proof(m, n));
      Hash root1 = reference.mth(0, m);
      assertThatCode(() -> ProofVerifier.verifyConsistency(m, n, proof, root1, root2))
          .doesNotThrowAnyException();
    }
  }

  @Test
  void inclusionProof_indexAtOrBeyondSize_isRejected() {
    assertThatThrownBy(() -> tree.inclusionProof(5, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tree.inclusionProof(-1, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tree.inclusionProof(0, MAX + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("size " + (MAX + 1));
  }

  @Test
  void consistencyProof_badSizes_areRejected() {
    assertThatThrownBy(() -> tree.consistencyProof(0, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tree.consistencyProof(6, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> tree.consistencyProof(1, MAX + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void verifyInclusion_indexAtSize_failsNamingBothValues() {
    Hash leaf = ReferenceTree.leaf(leaves.get(0));
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(4, 4, leaf, List.of(), leaf))
        .isInstanceOf(ProofException.class)
        .hasMessage("index 4 out of range for size 4");
  }

  @Test
  void verifyInclusion_shortProof_failsNamingBothSizes() {
    List<Hash> proof = tree.inclusionProof(3, 10);
    List<Hash> shorter = proof.subList(0, proof.size() - 1);
    Hash leaf = ReferenceTree.leaf(leaves.get(3));
    assertThatThrownBy(() -> ProofVerifier.verifyInclusion(3, 10, leaf, shorter, tree.root(10)))
        .isInstanceOf(ProofException.class)
        .hasMessage("wrong proof size " + shorter.size() + ", want " + proof.size());
  }
}
