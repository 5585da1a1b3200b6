package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.haulproof.agent.testing.CapturedOutput;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.merkle.ProofVerifier;
import io.haulproof.lightchain.merkle.Rfc9162;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code haulproof merkle} in-process, over the RFC 6962 reference leaves. */
class MerkleCommandTest {
  /** The eight leaves of RFC 6962's reference tests, and the published root of all eight. */
  private static final String LEAVES =
      "\n00\n10\n2021\n3031\n40414243\n5051525354555657\n606162636465666768696a6b6c6d6e6f\n";

  private static final List<String> LEAF_HEX =
      List.of(
          "",
          "00",
          "10",
          "2021",
          "3031",
          "40414243",
          "5051525354555657",
          "606162636465666768696a6b6c6d6e6f");
  private static final String ROOT8 =
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328";

  private final InputStream stdin = System.in;
  @RegisterExtension final CapturedOutput captured = new CapturedOutput();
  private final ByteArrayOutputStream out = captured.out();
  private final ByteArrayOutputStream err = captured.err();

  @AfterEach
  void restore() {
    System.setIn(stdin);
  }

  private int run(String input, String... args) {
    System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
    return Main.run(args);
  }

  private List<String> lines() {
    String s = out.toString(StandardCharsets.UTF_8).strip();
    return s.isEmpty() ? List.of() : Arrays.asList(s.split("\n"));
  }

  @Test
  void root_rfc6962Leaves_printsPublishedRoot() {
    // when: the first line is empty, which is RFC 6962's empty first leaf
    int code = run(LEAVES, "merkle", "root");

    // then
    assertThat(code).isZero();
    assertThat(lines()).containsExactly(ROOT8);
  }

  @Test
  void inclusion_everyIndex_printsProofThatVerifies() throws Exception {
    String input = String.join("\n", LEAF_HEX) + "\n";
    run(input, "merkle", "root");
    Hash root = Hash.fromHex(lines().get(0));
    for (int i = 0; i < 8; i++) {
      out.reset();
      // when
      int code = run(input, "merkle", "inclusion", "--index", Integer.toString(i));

      // then
      assertThat(code).isZero();
      List<Hash> proof = lines().stream().map(Hash::fromHex).collect(Collectors.toList());
      Hash leaf = Rfc9162.leafHash(Bytes.fromHex(LEAF_HEX.get(i)));
      int index = i;
      assertThatCode(() -> ProofVerifier.verifyInclusion(index, 8, leaf, proof, root))
          .doesNotThrowAnyException();
    }
  }

  @Test
  void consistency_oldSize_printsProofThatVerifies() throws Exception {
    String all = String.join("\n", LEAF_HEX) + "\n";
    String first3 = String.join("\n", LEAF_HEX.subList(0, 3)) + "\n";
    run(all, "merkle", "root");
    Hash root2 = Hash.fromHex(lines().get(0));
    out.reset();
    run(first3, "merkle", "root");
    Hash root1 = Hash.fromHex(lines().get(0));
    out.reset();

    // when
    int code = run(all, "merkle", "consistency", "--old", "3");

    // then
    assertThat(code).isZero();
    List<Hash> proof = lines().stream().map(Hash::fromHex).collect(Collectors.toList());
    assertThatCode(() -> ProofVerifier.verifyConsistency(3, 8, proof, root1, root2))
        .doesNotThrowAnyException();
  }

  @Test
  void inclusion_indexOutOfRange_exits2WithMessage() {
    int code = run("00\n01\n", "merkle", "inclusion", "--index", "2");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("index 2 out of range for size 2");
    assertThat(lines()).isEmpty();
  }

  @Test
  void root_badHex_exits2WithLineNumber() {
    int code = run("00\nzz\n", "merkle", "root");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("line 2");
  }

  @Test
  void consistency_oldZero_exits2() {
    int code = run("00\n01\n", "merkle", "consistency", "--old", "0");

    assertThat(code).isEqualTo(2);
  }
}
