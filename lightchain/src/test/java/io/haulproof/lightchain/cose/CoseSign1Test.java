package io.haulproof.lightchain.cose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborArray;
import io.haulproof.lightchain.cbor.CborBytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.CborTag;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.crypto.VerificationException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CoseSign1Test {
  private static final Bytes PAYLOAD =
      Bytes.wrap("This is the content.".getBytes(StandardCharsets.UTF_8));

  @ParameterizedTest
  @EnumSource(CoseAlgorithm.class)
  void sign_thenDecode_verifiesOverReceivedBytes(CoseAlgorithm alg) {
    // given
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(alg);

    // when
    CoseSign1 signed = CoseSign1.sign(key, PAYLOAD);
    CoseSign1 decoded = CoseSign1.decode(signed.encoded());

    // then
    decoded.verify(key.publicKey());
    assertThat(decoded.encoded()).isEqualTo(signed.encoded());
    assertThat(decoded.alg()).isEqualTo(alg);
    assertThat(decoded.kid()).isEqualTo(key.kid());
    assertThat(decoded.payload()).isEqualTo(PAYLOAD);
    assertThat(signed.encoded().get(0)).isEqualTo((byte) 0xd2); // tag 18
  }

  @Test
  void sign_es256_protectedHeaderIsAlgAndKid() {
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    CoseSign1 signed = CoseSign1.sign(key, PAYLOAD);
    assertThat(signed.protectedBytes().toHex()).isEqualTo("a2012604" + "50" + key.kid().toHex());
  }

  @Test
  void verify_otherKey_rejectedForKidMismatch() {
    // given
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    SoftwareDeviceKey other = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    CoseSign1 signed = CoseSign1.sign(key, PAYLOAD);

    // when / then
    assertThatThrownBy(() -> signed.verify(other.publicKey()))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("kid " + key.kid() + " does not match key " + other.kid());
  }

  @Test
  void verify_flippedPayloadBit_rejected() {
    // given
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    byte[] b = CoseSign1.sign(key, PAYLOAD).encoded().toByteArray();
    int payloadStart = b.length - 64 - 2 - PAYLOAD.length();
    b[payloadStart] ^= 1;

    // when
    CoseSign1 tampered = CoseSign1.decode(Bytes.wrap(b));

    // then
    assertThatThrownBy(() -> tampered.verify(key.publicKey()))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("does not verify");
  }

  @Test
  void verify_algHeaderNotMatchingKeyType_rejected() {
    // given: an ES256 key's signature under a protected header that claims EdDSA
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    Bytes prot = Cbor.encode(CborMap.builder().put(1, -8).put(4, key.kid().value()).build());
    Bytes sig = key.sign(SigStructure.of(prot, PAYLOAD));
    Bytes msg =
        Cbor.encode(
            new CborTag(
                18,
                CborArray.of(
                    new CborBytes(prot),
                    CborMap.empty(),
                    new CborBytes(PAYLOAD),
                    new CborBytes(sig))));

    // when
    CoseSign1 decoded = CoseSign1.decode(msg);

    // then
    assertThat(decoded.alg()).isEqualTo(CoseAlgorithm.EDDSA);
    assertThatThrownBy(() -> decoded.verify(key.publicKey()))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("algorithm EDDSA does not match the ES256 key");
  }

  @Test
  void decode_extraProtectedHeader_rejected() {
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    Bytes prot =
        Cbor.encode(CborMap.builder().put(1, -7).put(3, 0).put(4, key.kid().value()).build());
    Bytes msg =
        Cbor.encode(
            CborArray.of(
                new CborBytes(prot),
                CborMap.empty(),
                new CborBytes(PAYLOAD),
                new CborBytes(key.sign(SigStructure.of(prot, PAYLOAD)))));
    assertThatThrownBy(() -> CoseSign1.decode(msg))
        .isInstanceOf(CborException.class)
        .hasMessageContaining("protected header must be exactly {1: alg, 4: kid}");
  }

  @Test
  void decode_wrongTag_rejected() {
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    Bytes tagged = CoseSign1.sign(key, PAYLOAD).encoded();
    Bytes tag98 = Bytes.fromHex("d862").concat(tagged.slice(1, tagged.length()));
    assertThatThrownBy(() -> CoseSign1.decode(tag98))
        .isInstanceOf(CborException.class)
        .hasMessageContaining("wrong tag 98, want 18 or none");
  }

  @Test
  void decode_untagged_accepted() {
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.EDDSA);
    Bytes tagged = CoseSign1.sign(key, PAYLOAD).encoded();
    Bytes untagged = tagged.slice(1, tagged.length());
    CoseSign1 decoded = CoseSign1.decode(untagged);
    decoded.verify(key.publicKey());
    assertThat(decoded.encoded()).isEqualTo(untagged);
  }

  @Test
  void decode_nonEmptyUnprotected_rejected() {
    // [h'A10126', {4: h'3131'}, payload, sig] from the COSE WG examples is outside the profile
    Bytes wg =
        Bytes.fromHex(
            "D28443A10126A10442313154546869732069732074686520636F6E74656E742E5840"
                + "8EB33E4CA31D1C465AB05AAC34CC6B23D58FEF5C083106C4D25A91AEF0B0117E2AF9A291AA32E14AB834DC56ED2A223444547E01F1"
                + "1D3B0916E5A4C345CACB36");
    assertThatThrownBy(() -> CoseSign1.decode(wg))
        .isInstanceOf(CborException.class)
        .hasMessageContaining("unprotected header must be empty");
  }
}
