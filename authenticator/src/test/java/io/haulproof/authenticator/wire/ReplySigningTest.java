package io.haulproof.authenticator.wire;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.crypto.VerificationException;
import io.haulproof.lightchain.poah.BlockSigning;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ReplySigningTest {
  private static final String FLEET = "fleet-a";
  private static final String CHAIN = "truck-a";
  private static final long TIME = 1_700_000_000_000L;
  private static final Hash HASH = Hash.sha256(Bytes.of((byte) 1));

  @ParameterizedTest
  @EnumSource(CoseAlgorithm.class)
  void verify_rejectionAsSigned_passes(CoseAlgorithm alg) {
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(alg);
    PoahWire.Rejection r = ReplySigning.rejection(key, FLEET, CHAIN, 3, HASH, "root", "wrong");
    assertThatCode(() -> ReplySigning.verify(verifier(key), FLEET, CHAIN, r))
        .doesNotThrowAnyException();
    PoahWire.Rejection back = (PoahWire.Rejection) PoahCodec.decode(PoahCodec.encode(r));
    assertThatCode(() -> ReplySigning.verify(verifier(key), FLEET, CHAIN, back))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @EnumSource(CoseAlgorithm.class)
  void verify_rejectionAnyFieldChainOrFleetChanged_fails(CoseAlgorithm alg) {
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(alg);
    PoahWire.Rejection r = ReplySigning.rejection(key, FLEET, CHAIN, 3, HASH, "root", "wrong");
    SignatureVerifier v = verifier(key);
    Bytes sig = r.signature();
    List<PoahWire.Rejection> changed =
        List.of(
            new PoahWire.Rejection(4, HASH, key.kid(), "root", "wrong", sig),
            new PoahWire.Rejection(
                3, Hash.sha256(Bytes.of((byte) 2)), key.kid(), "root", "wrong", sig),
            new PoahWire.Rejection(3, HASH, key.kid(), "replay", "wrong", sig),
            new PoahWire.Rejection(3, HASH, key.kid(), "root", "wrong!", sig));
    for (PoahWire.Rejection c : changed) {
      assertThatThrownBy(() -> ReplySigning.verify(v, FLEET, CHAIN, c))
          .as(c.toString())
          .isInstanceOf(VerificationException.class);
    }
    assertThatThrownBy(() -> ReplySigning.verify(v, FLEET, "truck-b", r))
        .isInstanceOf(VerificationException.class);
    assertThatThrownBy(() -> ReplySigning.verify(v, "fleet-b", CHAIN, r))
        .isInstanceOf(VerificationException.class);
  }

  @ParameterizedTest
  @EnumSource(CoseAlgorithm.class)
  void verify_needAnyFieldChainOrFleetChanged_fails(CoseAlgorithm alg) {
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(alg);
    PoahWire.Need n = ReplySigning.need(key, FLEET, CHAIN, 5, TIME);
    SignatureVerifier v = verifier(key);
    assertThatCode(() -> ReplySigning.verify(v, FLEET, CHAIN, n)).doesNotThrowAnyException();
    Bytes sig = n.signature();
    for (PoahWire.Need c :
        List.of(
            new PoahWire.Need(key.kid(), 0, TIME, sig),
            new PoahWire.Need(key.kid(), 5, TIME + 1, sig))) {
      assertThatThrownBy(() -> ReplySigning.verify(v, FLEET, CHAIN, c))
          .as(c.toString())
          .isInstanceOf(VerificationException.class);
    }
    assertThatThrownBy(() -> ReplySigning.verify(v, FLEET, "truck-b", n))
        .isInstanceOf(VerificationException.class);
    assertThatThrownBy(() -> ReplySigning.verify(v, "fleet-b", CHAIN, n))
        .isInstanceOf(VerificationException.class);
  }

  @ParameterizedTest
  @EnumSource(CoseAlgorithm.class)
  void verify_signatureOfAnotherTypeOrKey_fails(CoseAlgorithm alg) {
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(alg);
    SoftwareDeviceKey other = SoftwareDeviceKey.generate(alg);
    SignatureVerifier v = verifier(key);
    PoahWire.Rejection r = ReplySigning.rejection(key, FLEET, CHAIN, 0, HASH, "a", "b");
    PoahWire.Need n = ReplySigning.need(key, FLEET, CHAIN, 0, TIME);
    // a rejection's signature on a need, and the other way round
    assertThatThrownBy(
            () ->
                ReplySigning.verify(
                    v, FLEET, CHAIN, new PoahWire.Need(key.kid(), 0, TIME, r.signature())))
        .isInstanceOf(VerificationException.class);
    assertThatThrownBy(
            () ->
                ReplySigning.verify(
                    v,
                    FLEET,
                    CHAIN,
                    new PoahWire.Rejection(0, HASH, key.kid(), "a", "b", n.signature())))
        .isInstanceOf(VerificationException.class);
    // an authentication signature (same key) does not pass for a need
    Bytes auth = key.sign(BlockSigning.authenticationMessage(Bytes.of((byte) 1)));
    assertThatThrownBy(
            () -> ReplySigning.verify(v, FLEET, CHAIN, new PoahWire.Need(key.kid(), 0, TIME, auth)))
        .isInstanceOf(VerificationException.class);
    // another node's signature naming this kid, or naming its own kid under this key
    PoahWire.Need byOther = ReplySigning.need(other, FLEET, CHAIN, 0, TIME);
    assertThatThrownBy(
            () ->
                ReplySigning.verify(
                    v, FLEET, CHAIN, new PoahWire.Need(key.kid(), 0, TIME, byOther.signature())))
        .isInstanceOf(VerificationException.class);
    assertThatThrownBy(() -> ReplySigning.verify(v, FLEET, CHAIN, byOther))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("the key at hand is");
  }

  private static SignatureVerifier verifier(SoftwareDeviceKey key) {
    return SignatureVerifier.of(key.publicKey());
  }
}
