package io.haulproof.authenticator.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.block.AuthenticatorSignature;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.crypto.VerificationException;
import io.haulproof.lightchain.poah.LocalProposer;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded-random mutations of every message kind: the strict decoder either throws {@link
 * CborException} or returns a message whose encoding is exactly the input (one encoding per
 * message), and a mutated rejection or need never verifies under its node's key.
 */
class PoahCodecRandomTest {
  private static final String FLEET = "fleet-r";
  private static final String CHAIN = "truck-r";
  private static final int MUTATIONS = 400;

  static Stream<Long> seeds() {
    return Stream.of(1L, 2L, 3L, 42L, 4711L);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void decode_randomMutations_strictAndSignaturesBind(long seed) {
    Random r = new Random(seed);
    SecureRandom keyRandom = deterministic(seed);
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256, keyRandom);
    SignatureVerifier verifier = SignatureVerifier.of(key.publicKey());
    Block block =
        new LocalProposer(key)
            .propose(Optional.empty(), 0, 2, Hash.sha256(Bytes.of((byte) seed)), 5 + seed);
    List<PoahWire> originals =
        List.of(
            new PoahWire.Proposal(
                block, List.of(random(r, 30), random(r, 50)), List.of(random(r, 20))),
            new PoahWire.Authentication(
                block.headerBytes(), new AuthenticatorSignature(key.kid(), random(r, 64))),
            ReplySigning.rejection(
                key, FLEET, CHAIN, r.nextInt(1000), block.hash(), "rule-" + seed, "why " + seed),
            ReplySigning.need(
                key, FLEET, CHAIN, r.nextInt(1000), 1_700_000_000_000L + r.nextInt(1 << 20)));
    int decoded = 0;
    int refused = 0;
    int signedChecked = 0;
    for (PoahWire original : originals) {
      Bytes wire = PoahCodec.encode(original);
      assertThat(PoahCodec.encode(PoahCodec.decode(wire))).isEqualTo(wire);
      for (int i = 0; i < MUTATIONS; i++) {
        Bytes mutated = mutate(r, wire);
        PoahWire m;
        try {
          m = PoahCodec.decode(mutated);
        } catch (CborException e) {
          refused++;
          continue;
        }
        decoded++;
        assertThat(PoahCodec.encode(m)).as("re-encoding of %s", mutated).isEqualTo(mutated);
        if (!mutated.equals(wire)) {
          if (m instanceof PoahWire.Rejection x) {
            signedChecked++;
            assertThatThrownBy(() -> ReplySigning.verify(verifier, FLEET, CHAIN, x))
                .isInstanceOf(VerificationException.class);
          } else if (m instanceof PoahWire.Need x) {
            signedChecked++;
            assertThatThrownBy(() -> ReplySigning.verify(verifier, FLEET, CHAIN, x))
                .isInstanceOf(VerificationException.class);
          }
        }
      }
    }
    assertThat(refused).as("mutations refused").isPositive();
    assertThat(signedChecked).as("mutated rejections and needs that decoded").isPositive();
    assertThat(decoded + refused).isEqualTo(originals.size() * MUTATIONS);
  }

  /** One of: flip a bit, replace, insert or delete a byte, truncate, append. */
  private static Bytes mutate(Random r, Bytes wire) {
    byte[] b = wire.toByteArray();
    int at = r.nextInt(b.length);
    switch (r.nextInt(6)) {
      case 0 -> {
        b[at] ^= (byte) (1 << r.nextInt(8));
        return Bytes.wrap(b);
      }
      case 1 -> {
        b[at] = (byte) r.nextInt(256);
        return Bytes.wrap(b);
      }
      case 2 -> {
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, at);
        out[at] = (byte) r.nextInt(256);
        System.arraycopy(b, at, out, at + 1, b.length - at);
        return Bytes.wrap(out);
      }
      case 3 -> {
        byte[] out = new byte[b.length - 1];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + 1, out, at, b.length - at - 1);
        return Bytes.wrap(out);
      }
      case 4 -> {
        return Bytes.wrap(java.util.Arrays.copyOf(b, at));
      }
      default -> {
        byte[] out = java.util.Arrays.copyOf(b, b.length + 1 + r.nextInt(8));
        for (int i = b.length; i < out.length; i++) {
          out[i] = (byte) r.nextInt(256);
        }
        return Bytes.wrap(out);
      }
    }
  }

  private static Bytes random(Random r, int n) {
    byte[] b = new byte[n];
    r.nextBytes(b);
    return Bytes.wrap(b);
  }

  private static SecureRandom deterministic(long seed) {
    try {
      SecureRandom s = SecureRandom.getInstance("SHA1PRNG");
      s.setSeed(seed);
      return s;
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }
}
