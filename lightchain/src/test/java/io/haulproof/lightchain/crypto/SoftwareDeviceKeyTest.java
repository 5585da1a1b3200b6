package io.haulproof.lightchain.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.bytes.Bytes;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SoftwareDeviceKeyTest {
  private static final BigInteger N = SoftwareDeviceKey.P256.getN();

  private static SoftwareDeviceKey rfc6979Key() throws Exception {
    BigInteger d =
        new BigInteger("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721", 16);
    return SoftwareDeviceKey.fromPrivateKeyInfo(
        PrivateKeyInfoFactory.createPrivateKeyInfo(
            new ECPrivateKeyParameters(d, SoftwareDeviceKey.P256)));
  }

  /** RFC 6979 A.2.5 (P-256, SHA-256); our signer then normalises s to the low half. */
  @ParameterizedTest
  @CsvSource({
    "sample, EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716, "
        + "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8",
    "test, F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367, "
        + "019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083"
  })
  void sign_rfc6979Vector_deterministicRAndLowS(String message, String r, String s)
      throws Exception {
    // given
    SoftwareDeviceKey key = rfc6979Key();
    BigInteger sv = new BigInteger(s, 16);
    BigInteger lowS = sv.compareTo(N.shiftRight(1)) > 0 ? N.subtract(sv) : sv;

    // when
    Bytes sig = key.sign(Bytes.wrap(message.getBytes(StandardCharsets.US_ASCII)));

    // then
    assertThat(sig.slice(0, 32).toHex()).isEqualToIgnoringCase(r);
    assertThat(new BigInteger(1, sig.slice(32, 64).toByteArray())).isEqualTo(lowS);
    SignatureVerifier.of(key.publicKey())
        .verify(Bytes.wrap(message.getBytes(StandardCharsets.US_ASCII)), sig);
  }

  @Test
  void verify_highSVariantOfOwnSignature_accepted() throws Exception {
    // COSE does not require low-S, and Wycheproof lists high-S signatures as valid
    SoftwareDeviceKey key = rfc6979Key();
    Bytes msg = Bytes.wrap("sample".getBytes(StandardCharsets.US_ASCII));
    Bytes sig = key.sign(msg);
    BigInteger high = N.subtract(new BigInteger(1, sig.slice(32, 64).toByteArray()));
    Bytes highSig =
        sig.slice(0, 32).concat(EcdsaSignatures.raw(BigInteger.ONE, high).slice(32, 64));
    SignatureVerifier.of(key.publicKey()).verify(msg, highSig);
  }

  @Test
  void verify_wrongLengthOrZeroR_rejectedWithReason() {
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    SignatureVerifier v = SignatureVerifier.of(key.publicKey());
    Bytes msg = Bytes.of((byte) 1);
    assertThatThrownBy(() -> v.verify(msg, Bytes.wrap(new byte[63])))
        .isInstanceOf(VerificationException.class)
        .hasMessage("wrong ES256 signature length 63, want 64");
    assertThatThrownBy(() -> v.verify(msg, Bytes.wrap(new byte[64])))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("r out of range");
    assertThatThrownBy(() -> v.verify(CoseAlgorithm.EDDSA, msg, key.sign(msg)))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("algorithm EDDSA does not match the ES256 key");
  }

  @ParameterizedTest
  @EnumSource(CoseAlgorithm.class)
  void sign_fromFourThreads_everySignatureVerifies(CoseAlgorithm alg) throws Exception {
    // given
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(alg);
    SignatureVerifier verifier = SignatureVerifier.of(key.publicKey());
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      // when
      List<Future<Bytes[]>> results = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  Bytes msg = Bytes.of((byte) thread, (byte) 7);
                  Bytes[] sigs = new Bytes[100];
                  for (int i = 0; i < sigs.length; i++) {
                    sigs[i] = key.sign(msg);
                  }
                  return sigs;
                }));
      }

      // then: deterministic signatures, all valid
      for (int t = 0; t < 4; t++) {
        Bytes[] sigs = results.get(t).get(60, TimeUnit.SECONDS);
        for (Bytes sig : sigs) {
          verifier.verify(Bytes.of((byte) t, (byte) 7), sig);
          assertThat(sig).isEqualTo(sigs[0]);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void fromPrivateKeyInfo_roundTrip_sameKid() {
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.EDDSA);
    assertThat(SoftwareDeviceKey.fromPrivateKeyInfo(key.privateKeyInfo()).kid())
        .isEqualTo(key.kid());
  }

  @Test
  void derToRaw_nonCanonicalDer_rejected() {
    // r encoded with a superfluous leading zero byte (BER, not DER)
    Bytes ber = Bytes.fromHex("3007020300000102020101");
    assertThatThrownBy(() -> EcdsaSignatures.derToRaw(ber))
        .isInstanceOf(VerificationException.class);
    Bytes der =
        EcdsaSignatures.rawToDer(Bytes.wrap(new byte[64]).slice(0, 63).concat(Bytes.of((byte) 5)));
    assertThat(EcdsaSignatures.derToRaw(der).get(63)).isEqualTo((byte) 5);
  }
}
