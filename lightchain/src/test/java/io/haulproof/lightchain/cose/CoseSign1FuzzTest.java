package io.haulproof.lightchain.cose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cbor.Mutator;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.crypto.VerificationException;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.entry.SampleEntries;
import java.security.SecureRandom;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mutation tests of COSE_Sign1 decoding and verification: a mutated signed entry is rejected by the
 * decoder ({@link CborException}) or by verification ({@link VerificationException}); the only
 * mutations that may still verify are those that leave the signed content (protected header,
 * payload, signature) unchanged, such as removing the optional tag 18.
 */
class CoseSign1FuzzTest {
  static LongStream seeds() {
    return LongStream.range(0, 24);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void mutatedSignedEntry_neverVerifiesWithChangedContent(long seed) throws Exception {
    // given
    SecureRandom keyRandom = SecureRandom.getInstance("SHA1PRNG");
    keyRandom.setSeed(seed);
    CoseAlgorithm alg = seed % 3 == 0 ? CoseAlgorithm.EDDSA : CoseAlgorithm.ES256;
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(alg, keyRandom);
    SignatureVerifier verifier = SignatureVerifier.of(key.publicKey());
    CoseSign1 original =
        EntryCodec.sign(key, new Entry(SampleEntries.header(seed + 1), SampleEntries.collection()));
    byte[] valid = original.encoded().toByteArray();
    Mutator mutator = new Mutator(new Random(seed));
    int decodeRejects = 0;
    int verifyRejects = 0;

    for (int i = 0; i < 150; i++) {
      byte[] mutated = mutator.mutate(valid);
      CoseSign1 decoded;
      // when
      try {
        decoded = CoseSign1.decode(Bytes.wrap(mutated));
      } catch (CborException e) {
        decodeRejects++;
        continue;
      }
      try {
        decoded.verify(verifier);
      } catch (VerificationException e) {
        verifyRejects++;
        continue;
      }
      // then: whatever verified carries exactly the signed content
      assertThat(decoded.protectedBytes()).isEqualTo(original.protectedBytes());
      assertThat(decoded.payload()).isEqualTo(original.payload());
      assertThat(decoded.signature()).isEqualTo(original.signature());
    }
    assertThat(decodeRejects + verifyRejects).isPositive();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void flippedBitInSignedRegion_alwaysRejected(long seed) {
    // given
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    CoseSign1 original = CoseSign1.sign(key, Bytes.wrap(new byte[] {1, 2, 3, (byte) seed}));
    byte[] b = original.encoded().toByteArray();
    Random random = new Random(seed);
    // the signed region starts after tag and array head (2 bytes)
    int at = 2 + random.nextInt(b.length - 2);
    b[at] ^= (byte) (1 << random.nextInt(8));

    // when / then
    assertThatThrownBy(() -> CoseSign1.decode(Bytes.wrap(b)).verify(key.publicKey()))
        .isInstanceOfAny(CborException.class, VerificationException.class);
  }
}
