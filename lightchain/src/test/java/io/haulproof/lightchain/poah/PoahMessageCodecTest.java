package io.haulproof.lightchain.poah;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.block.AuthenticatorSignature;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.crypto.DeviceKey;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PoahMessageCodecTest {
  private static final DeviceKey KEY = PoahFixture.key(21);

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void decode_mutatedMessages_onlyCborExceptionEscapesAndAcceptedOnesRoundTrip(long seed) {
    // given a proposal and an authentication
    PoahFixture log = new PoahFixture(KEY);
    for (int i = 0; i < 3; i++) {
      log.add(Bytes.of((byte) i));
    }
    Block b = log.propose(KEY, Optional.empty(), 0, 3);
    AuthenticatorSignature sig =
        new AuthenticatorSignature(
            KEY.kid(), KEY.sign(BlockSigning.authenticationMessage(b.headerBytes())));
    byte[][] goods = {
      PoahMessageCodec.encode(new PoahMessage.Proposal(b.withAuthentication(sig))).toByteArray(),
      PoahMessageCodec.encode(new PoahMessage.Authentication(0, b.hash(), sig)).toByteArray()
    };
    Random rnd = new Random(seed);
    int rejected = 0;
    for (int i = 0; i < 3000; i++) {
      byte[] m = goods[i % 2].clone();
      switch (rnd.nextInt(3)) {
        case 0 -> m = Arrays.copyOf(m, rnd.nextInt(m.length));
        case 1 -> m[rnd.nextInt(m.length)] ^= (byte) (1 + rnd.nextInt(255));
        default -> {
          int at = rnd.nextInt(m.length);
          m[at] = (byte) rnd.nextInt(256);
          m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
        }
      }
      // when
      try {
        PoahMessage d = PoahMessageCodec.decode(Bytes.wrap(m));
        // then: one spelling per message
        assertThat(PoahMessageCodec.encode(d).toByteArray()).isEqualTo(m);
      } catch (CborException e) {
        rejected++;
      }
    }
    assertThat(rejected).isPositive();
  }
}
