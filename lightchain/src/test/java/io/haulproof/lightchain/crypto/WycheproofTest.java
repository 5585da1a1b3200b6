package io.haulproof.lightchain.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.haulproof.lightchain.bytes.Bytes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Wycheproof vector for the algorithms Haulproof verifies: ECDSA P-256/SHA-256 with raw
 * {@code r‖s} (the COSE form), the same with DER signatures through {@link
 * EcdsaSignatures#derToRaw}, and Ed25519. Valid vectors must verify, invalid ones must throw {@link
 * VerificationException}. The files hold no "acceptable" results; if a future file does, the test
 * treats them as invalid (Haulproof rejects anything not plainly valid).
 */
class WycheproofTest {

  record Case(
      String file,
      int group,
      int tcId,
      String comment,
      String result,
      String spki,
      String msg,
      String sig) {
    @Override
    public String toString() {
      return file + " group " + group + " tc " + tcId + " [" + result + "] " + comment;
    }
  }

  static List<Case> cases() {
    List<Case> out = new ArrayList<>();
    for (Path f : TestVectors.files("wycheproof")) {
      JsonNode root = TestVectors.read(f);
      int g = 0;
      for (JsonNode group : root.get("testGroups")) {
        for (JsonNode t : group.get("tests")) {
          out.add(
              new Case(
                  f.getFileName().toString(),
                  g,
                  t.get("tcId").asInt(),
                  t.get("comment").asText(),
                  t.get("result").asText(),
                  group.get("publicKeyDer").asText(),
                  t.get("msg").asText(),
                  t.get("sig").asText()));
        }
        g++;
      }
    }
    return out;
  }

  static List<Arguments> arguments() {
    return cases().stream().map(Arguments::of).toList();
  }

  @Test
  void vectors_allThreeFilesLoaded() {
    assertThat(cases())
        .extracting(Case::file)
        .containsOnly(
            "ecdsa_secp256r1_sha256_p1363_test.json",
            "ecdsa_secp256r1_sha256_test.json",
            "ed25519_test.json");
    assertThat(cases()).hasSize(262 + 484 + 151);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("arguments")
  void verify_wycheproofCase_matchesExpectedResult(Case c) {
    // given
    SignatureVerifier verifier = SignatureVerifier.of(PublicKeys.fromSpki(Bytes.fromHex(c.spki())));
    Bytes msg = Bytes.fromHex(c.msg());
    boolean der = c.file().equals("ecdsa_secp256r1_sha256_test.json");

    // when
    Runnable verify =
        () -> {
          Bytes sig =
              der ? EcdsaSignatures.derToRaw(Bytes.fromHex(c.sig())) : Bytes.fromHex(c.sig());
          verifier.verify(msg, sig);
        };

    // then
    if (c.result().equals("valid")) {
      assertThatCode(verify::run).doesNotThrowAnyException();
    } else {
      assertThatThrownBy(verify::run).isInstanceOf(VerificationException.class);
    }
  }
}
