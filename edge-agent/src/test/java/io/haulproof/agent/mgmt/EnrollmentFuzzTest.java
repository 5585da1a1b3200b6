package io.haulproof.agent.mgmt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.haulproof.agent.provision.ClaimCode;
import io.haulproof.agent.provision.ClaimKey;
import io.haulproof.agent.provision.EnrollResponse;
import io.haulproof.agent.provision.Enroller;
import io.haulproof.agent.provision.EnrollmentDesk;
import io.haulproof.agent.provision.EnrollmentException;
import io.haulproof.agent.provision.TrustException;
import io.haulproof.lightchain.bytes.Bytes;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded mutation fuzzing of both enrollment handlers: the technician's check of {@code enroll/req}
 * and the device's check of {@code enroll/res}. Only the domain exceptions escape, and no mutated
 * message is accepted.
 */
class EnrollmentFuzzTest {
  @TempDir static Path dir;
  static MgmtFixture f;
  static ClaimCode code;
  static Enroller enroller;
  static EnrollmentDesk desk;
  static Bytes request;
  static Bytes response;

  @BeforeAll
  static void setUp() throws Exception {
    f = new MgmtFixture(dir, false);
    code = ClaimCode.generate();
    enroller = new Enroller(f.identity, ClaimKey.create(code, "truck-7"), "1.0", f.clock);
    desk = new EnrollmentDesk(f.ca, f.clock);
    request = enroller.request();
    response = desk.issue(desk.check(request, "truck-7", code), Optional.empty()).encode();
  }

  @ParameterizedTest
  @ValueSource(longs = {21, 22, 23, 24})
  void check_mutatedRequest_refusedWithEnrollmentException(long seed) {
    Random rnd = new Random(seed);
    for (int i = 0; i < 150; i++) {
      Bytes m = RequestFuzzTest.mutate(request.toByteArray(), rnd);
      if (m.equals(request)) {
        continue;
      }
      try {
        desk.check(m, "truck-7", code);
        fail("mutation %d of seed %d accepted: %s", i, seed, m.toHex());
      } catch (EnrollmentException e) {
        // refused: fine
      }
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {31, 32, 33, 34})
  void accept_mutatedResponse_refusedNothingInstalled(long seed) throws Exception {
    Random rnd = new Random(seed);
    for (int i = 0; i < 150; i++) {
      Bytes m = RequestFuzzTest.mutate(response.toByteArray(), rnd);
      if (m.equals(response) || sameMeaning(m)) {
        continue;
      }
      try {
        f.service.acceptEnrollment(enroller, m);
        fail("mutation %d of seed %d accepted: %s", i, seed, describe(m));
      } catch (EnrollmentException | TrustException e) {
        // refused: fine
      }
      assertThat(f.identity.enrolled()).isFalse();
    }
    assertThat(f.hooks.evidence).isEmpty();
  }

  private static String describe(Bytes m) {
    EnrollResponse a = EnrollResponse.decode(m);
    EnrollResponse b = EnrollResponse.decode(response);
    StringBuilder sb =
        new StringBuilder(
            "nonce="
                + a.nonce().equals(b.nonce())
                + " crl="
                + a.crl().equals(b.crl())
                + " config="
                + a.initialConfig().equals(b.initialConfig())
                + " chain sizes "
                + a.chain().size()
                + "/"
                + b.chain().size());
    for (int i = 0; i < Math.min(a.chain().size(), b.chain().size()); i++) {
      sb.append(" c").append(i).append('=').append(a.chain().get(i).equals(b.chain().get(i)));
      Bytes x = a.chain().get(i);
      Bytes y = b.chain().get(i);
      for (int k = 0; k < Math.min(x.length(), y.length()); k++) {
        if (x.get(k) != y.get(k)) {
          sb.append(" diff@")
              .append(k)
              .append(' ')
              .append(x.slice(Math.max(0, k - 6), Math.min(x.length(), k + 6)))
              .append(" vs ")
              .append(y.slice(Math.max(0, k - 6), Math.min(y.length(), k + 6)));
          break;
        }
      }
    }
    return sb.toString();
  }

  /**
   * A mutation that only touches the optional, separately verified CRL bytes may still decode to
   * the same chain.
   */
  private static boolean sameMeaning(Bytes m) {
    try {
      EnrollResponse a = EnrollResponse.decode(m);
      EnrollResponse b = EnrollResponse.decode(response);
      return a.nonce().equals(b.nonce())
          && a.chain().equals(b.chain())
          && a.crl().equals(b.crl())
          && a.initialConfig().equals(b.initialConfig());
    } catch (RuntimeException e) {
      return false;
    }
  }
}
