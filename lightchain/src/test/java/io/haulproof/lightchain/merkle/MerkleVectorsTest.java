package io.haulproof.lightchain.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.bytes.Hash;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every transparency-dev/merkle vector file in {@code vectors/merkle} as its own case.
 *
 * <p>Our API types every hash as a 32-byte {@link Hash}. Some upstream files put placeholder
 * strings of other lengths ("don't care", empty) where a hash goes. A {@code wantErr} case passes
 * if such a value is rejected at the typed boundary ({@code Hash.of} throws) or if the verifier
 * throws. The one valid case with 12-byte placeholder roots (equal sizes, equal roots) maps each
 * placeholder to SHA-256 of itself, which keeps equal values equal.
 */
class MerkleVectorsTest {
  private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);

  static Stream<Path> inclusionFiles() throws Exception {
    return files("inclusion");
  }

  static Stream<Path> consistencyFiles() throws Exception {
    return files("consistency");
  }

  private static Stream<Path> files(String kind) throws IOException, URISyntaxException {
    Path root = Path.of(MerkleVectorsTest.class.getResource("/vectors/merkle/" + kind).toURI());
    List<Path> found;
    try (Stream<Path> s = Files.walk(root)) {
      found = s.filter(p -> p.toString().endsWith(".json")).sorted().collect(Collectors.toList());
    }
    if (found.isEmpty()) {
      throw new IllegalStateException("no vectors found under " + root);
    }
    return found.stream();
  }

  @Test
  void loader_bothKinds_findsAllFiles() throws Exception {
    assertThat(inclusionFiles().count()).isGreaterThan(80);
    assertThat(consistencyFiles().count()).isGreaterThan(80);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("inclusionFiles")
  void verifyInclusion_vectorFile_matchesWantErr(Path file) throws Exception {
    // given
    Map<?, ?> v = load(file);
    boolean wantErr = (Boolean) v.get("wantErr");
    long index = u64(v.get("leafIdx"));
    long size = u64(v.get("treeSize"));
    List<byte[]> raw = new ArrayList<>();
    raw.add(b64(v.get("leafHash")));
    raw.add(b64(v.get("root")));
    List<byte[]> rawProof = proof(v.get("proof"));
    raw.addAll(rawProof);
    boolean representable = raw.stream().allMatch(b -> b.length == Hash.SIZE);

    // when / then
    if (!representable) {
      assertThat(wantErr).as("valid vector with non-hash values: %s", file).isTrue();
      byte[] bad = raw.stream().filter(b -> b.length != Hash.SIZE).findFirst().orElseThrow();
      assertThatThrownBy(() -> Hash.of(bad)).isInstanceOf(IllegalArgumentException.class);
      return;
    }
    List<Hash> p = rawProof.stream().map(Hash::of).collect(Collectors.toList());
    Hash leaf = Hash.of(raw.get(0));
    Hash root = Hash.of(raw.get(1));
    if (wantErr) {
      assertThatThrownBy(() -> ProofVerifier.verifyInclusion(index, size, leaf, p, root))
          .isInstanceOf(ProofException.class);
    } else {
      assertThatCode(() -> ProofVerifier.verifyInclusion(index, size, leaf, p, root))
          .doesNotThrowAnyException();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("consistencyFiles")
  void verifyConsistency_vectorFile_matchesWantErr(Path file) throws Exception {
    // given
    Map<?, ?> v = load(file);
    boolean wantErr = (Boolean) v.get("wantErr");
    long size1 = u64(v.get("size1"));
    long size2 = u64(v.get("size2"));
    byte[] r1 = b64(v.get("root1"));
    byte[] r2 = b64(v.get("root2"));
    List<byte[]> rawProof = proof(v.get("proof"));
    boolean representable =
        r1.length == Hash.SIZE
            && r2.length == Hash.SIZE
            && rawProof.stream().allMatch(b -> b.length == Hash.SIZE);

    // when / then
    if (!representable && wantErr) {
      byte[] bad =
          Stream.concat(Stream.of(r1, r2), rawProof.stream())
              .filter(b -> b.length != Hash.SIZE)
              .findFirst()
              .orElseThrow();
      assertThatThrownBy(() -> Hash.of(bad)).isInstanceOf(IllegalArgumentException.class);
      return;
    }
    List<Hash> p = rawProof.stream().map(MerkleVectorsTest::typed).collect(Collectors.toList());
    Hash root1 = typed(r1);
    Hash root2 = typed(r2);
    if (wantErr) {
      assertThatThrownBy(() -> ProofVerifier.verifyConsistency(size1, size2, p, root1, root2))
          .isInstanceOf(ProofException.class);
    } else {
      assertThatCode(() -> ProofVerifier.verifyConsistency(size1, size2, p, root1, root2))
          .doesNotThrowAnyException();
    }
  }

  private static Hash typed(byte[] b) {
    return b.length == Hash.SIZE ? Hash.of(b) : Hash.sha256(b);
  }

  private static Map<?, ?> load(Path file) throws IOException {
    return (Map<?, ?>) MiniJson.parse(Files.readString(file));
  }

  private static long u64(Object n) {
    BigInteger b = (BigInteger) n;
    if (b.signum() < 0 || b.compareTo(TWO_64) >= 0) {
      throw new IllegalArgumentException("not a uint64: " + b);
    }
    return b
        .longValue(); // values >= 2^63 become negative, which the verifier must reject as out of
    // range
  }

  private static byte[] b64(Object s) {
    return Base64.getDecoder().decode((String) s);
  }

  private static List<byte[]> proof(Object p) {
    List<byte[]> out = new ArrayList<>();
    if (p != null) {
      for (Object o : (List<?>) p) {
        out.add(b64(o));
      }
    }
    return out;
  }
}
