package io.haulproof.agent.mgmt;

import static io.haulproof.agent.mgmt.MgmtFixture.texts;
import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.agent.provision.EnrollEnvelope;
import io.haulproof.agent.provision.EnrollRequest;
import io.haulproof.agent.provision.EnrollResponse;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded mutation fuzzing of the management request path: random bytes and bit flips, truncations
 * and splices of a valid signed request. No exception escapes {@link ManagementService#handle},
 * nothing mutated is accepted, the configuration never changes, and every refusal is counted.
 */
class RequestFuzzTest {
  @TempDir static Path dir;
  static MgmtFixture f;
  static Bytes valid;

  @BeforeAll
  static void setUp() throws Exception {
    f = new MgmtFixture(dir, true);
    valid = f.request(MgmtOp.CONFIG, texts("a.b", "1", "c.d", "two"));
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void handle_mutatedValidRequest_neverAcceptedNeverThrows(long seed) {
    Random rnd = new Random(seed);
    Set<RejectReason> seen = EnumSet.noneOf(RejectReason.class);
    long rejectedBefore = totalRejected();
    int runs = 300;
    for (int i = 0; i < runs; i++) {
      Bytes input = mutate(valid.toByteArray(), rnd);
      if (input.equals(valid)) {
        continue;
      }
      MgmtResponse res = f.service.handle(input).response();
      assertThat(res.ok())
          .as("mutation %d of seed %d accepted: %s", i, seed, input.toHex())
          .isFalse();
      seen.add(res.reason());
    }
    assertThat(f.service.currentConfig().version()).isZero();
    assertThat(f.hooks.applied).isEmpty();
    assertThat(totalRejected() - rejectedBefore).isGreaterThan(runs / 2);
    assertThat(seen).contains(RejectReason.MALFORMED);
  }

  @ParameterizedTest
  @ValueSource(longs = {11, 12, 13, 14})
  void decoders_randomBytes_onlyDomainExceptions(long seed) {
    Random rnd = new Random(seed);
    for (int i = 0; i < 2000; i++) {
      byte[] b = new byte[rnd.nextInt(200)];
      rnd.nextBytes(b);
      if (rnd.nextBoolean() && b.length > 0) {
        b[0] =
            (byte) (0xa0 | rnd.nextInt(16)); // a small map, to get past the first byte more often
      }
      Bytes in = Bytes.wrap(b);
      assertThat(f.service.handle(in).response().ok()).isFalse();
      expectOnlyCbor(() -> MgmtRequest.decode(in));
      expectOnlyCbor(() -> EnrollRequest.decode(in));
      expectOnlyCbor(() -> EnrollEnvelope.decode(in));
      expectOnlyCbor(() -> EnrollResponse.decode(in));
    }
  }

  @Test
  void handle_validRequest_stillAcceptedAfterFuzzing() throws Exception {
    assertThat(f.service.handle(f.request(MgmtOp.INVENTORY, texts())).response().ok()).isTrue();
  }

  private static void expectOnlyCbor(Runnable r) {
    try {
      r.run();
    } catch (CborException e) {
      // the domain exception: fine
    }
  }

  private static long totalRejected() {
    long n = 0;
    for (RejectReason r : RejectReason.values()) {
      n += f.service.rejectedCount(r);
    }
    return n;
  }

  static Bytes mutate(byte[] b, Random rnd) {
    switch (rnd.nextInt(5)) {
      case 0:
        { // flip 1-4 bits
          byte[] c = b.clone();
          for (int k = 0, n = 1 + rnd.nextInt(4); k < n; k++) {
            int pos = rnd.nextInt(c.length);
            c[pos] ^= (byte) (1 << rnd.nextInt(8));
          }
          return Bytes.wrap(c);
        }
      case 1: // truncate
        return Bytes.of(b, 0, rnd.nextInt(b.length));
      case 2:
        { // overwrite a byte
          byte[] c = b.clone();
          c[rnd.nextInt(c.length)] = (byte) rnd.nextInt(256);
          return Bytes.wrap(c);
        }
      case 3:
        { // insert random bytes
          int pos = rnd.nextInt(b.length);
          byte[] extra = new byte[1 + rnd.nextInt(8)];
          rnd.nextBytes(extra);
          return Bytes.of(b, 0, pos)
              .concat(Bytes.wrap(extra))
              .concat(Bytes.of(b, pos, b.length - pos));
        }
      default:
        { // duplicate a slice (splice)
          int from = rnd.nextInt(b.length);
          int len = 1 + rnd.nextInt(Math.min(32, b.length - from));
          return Bytes.wrap(b).concat(Bytes.of(b, from, len));
        }
    }
  }
}
