package io.haulproof.lightchain.cose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cbor.CborInt;
import io.haulproof.lightchain.cbor.CborValue;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.crypto.TestVectors;
import io.haulproof.lightchain.crypto.VerificationException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The COSE working group's COSE_Sign1 examples (RFC 9052): our Sig_structure must equal their
 * {@code ToBeSign_hex} byte for byte, their signatures must verify with the example key, and every
 * {@code sign-fail-*} message must fail.
 */
class CoseWgExamplesTest {

  static List<Path> files() {
    return TestVectors.files("cose");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("files")
  void example_decodeAndVerify_matchesExpectation(Path file) throws Exception {
    // given
    JsonNode v = TestVectors.read(file);
    boolean fail = v.path("fail").asBoolean(false);
    JsonNode sign0 = v.get("input").get("sign0");
    Bytes message = Bytes.fromHex(v.get("output").get("cbor").asText());
    Bytes externalAad =
        sign0.has("external") ? Bytes.fromHex(sign0.get("external").asText()) : Bytes.EMPTY;

    PublicKey key = publicKey(sign0.get("key"));

    // when
    Runnable check =
        () -> {
          CoseSign1Parts parts = CoseSign1Parts.decode(message);
          CoseAlgorithm alg = CoseAlgorithm.fromValue(algorithm(parts));
          SignatureVerifier.of(key).verify(alg, parts.sigStructure(externalAad), parts.signature());
          if (!fail) {
            assertThat(parts.sigStructure(externalAad).toHex())
                .isEqualToIgnoringCase(v.get("intermediates").get("ToBeSign_hex").asText());
          }
        };

    // then
    if (fail || file.getFileName().toString().equals("ecdsa-sig-04.json")) {
      // sign-fail-* must fail; ecdsa-sig-04 uses ES512 (-36), which Haulproof does not accept
      assertThatThrownBy(check::run)
          .isInstanceOfAny(CborException.class, VerificationException.class);
    } else {
      assertThatCode(check::run).doesNotThrowAnyException();
    }
  }

  /** The alg header, protected first (RFC 9052 §3: a label must not appear in both). */
  private static long algorithm(CoseSign1Parts parts) {
    CborValue alg = parts.protectedHeader().get(1);
    if (alg == null) {
      alg = parts.unprotectedHeader().get(1);
    }
    if (!(alg instanceof CborInt i)) {
      throw new VerificationException("alg header missing or not an integer: " + alg);
    }
    return i.value();
  }

  private static PublicKey publicKey(JsonNode jwk) throws Exception {
    Base64.Decoder b64 = Base64.getUrlDecoder();
    if (jwk.get("kty").asText().equals("OKP")) {
      String x =
          jwk.has("x_hex")
              ? jwk.get("x_hex").asText()
              : Bytes.wrap(b64.decode(jwk.get("x").asText())).toHex();
      return PublicKeys.fromSpki(Bytes.fromHex("302a300506032b6570032100" + x));
    }
    AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
    p.init(new ECGenParameterSpec("secp256r1"));
    ECPoint w =
        new ECPoint(
            new BigInteger(1, b64.decode(jwk.get("x").asText())),
            new BigInteger(1, b64.decode(jwk.get("y").asText())));
    return KeyFactory.getInstance("EC")
        .generatePublic(new ECPublicKeySpec(w, p.getParameterSpec(ECParameterSpec.class)));
  }
}
