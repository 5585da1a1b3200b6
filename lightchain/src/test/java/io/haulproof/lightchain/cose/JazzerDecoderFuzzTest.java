package io.haulproof.lightchain.cose;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cbor.CborValue;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.crypto.VerificationException;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryCodec;
import java.security.SecureRandom;

/**
 * Jazzer fuzz targets for the three decoders.
 *
 * <p>In the normal suite they run in regression mode over the seeds in {@code
 * src/test/resources/io/haulproof/lightchain/cose/JazzerDecoderFuzzTestInputs/}. For a real fuzzing
 * session: {@code JAZZER_FUZZ=1 mvn -B -o -pl lightchain test -Dtest=JazzerDecoderFuzzTest}. A
 * finding is any exception other than the domain ones, an accepted input that is not canonical, or
 * a verification that succeeds with a key that never signed.
 */
class JazzerDecoderFuzzTest {
  private static final SignatureVerifier STRANGER = strangerVerifier();

  private static SignatureVerifier strangerVerifier() {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(7);
      return SignatureVerifier.of(SoftwareDeviceKey.generate(CoseAlgorithm.ES256, r).publicKey());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @FuzzTest(maxDuration = "20s")
  void cborDecode(byte[] data) {
    CborValue v;
    try {
      v = Cbor.decode(Bytes.wrap(data));
    } catch (CborException e) {
      return;
    }
    if (!Cbor.encode(v).equals(Bytes.wrap(data))) {
      throw new AssertionError("accepted non-canonical CBOR " + Bytes.wrap(data));
    }
  }

  @FuzzTest(maxDuration = "20s")
  void coseDecodeVerify(byte[] data) {
    CoseSign1 msg;
    try {
      msg = CoseSign1.decode(Bytes.wrap(data));
    } catch (CborException e) {
      return;
    }
    if (!msg.encoded().equals(Bytes.wrap(data))) {
      throw new AssertionError("encoded() differs from the received bytes");
    }
    try {
      msg.verify(STRANGER);
    } catch (VerificationException e) {
      return;
    }
    throw new AssertionError(
        "a message verified with a key that never signed anything: " + Bytes.wrap(data));
  }

  @FuzzTest(maxDuration = "20s")
  void entryDecode(byte[] data) {
    Entry e;
    try {
      e = EntryCodec.decode(Bytes.wrap(data));
    } catch (CborException ex) {
      return;
    }
    if (!EntryCodec.encode(e).equals(Bytes.wrap(data))) {
      throw new AssertionError(
          "accepted an entry payload that does not re-encode to itself: " + Bytes.wrap(data));
    }
  }
}
