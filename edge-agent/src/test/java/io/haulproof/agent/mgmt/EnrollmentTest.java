package io.haulproof.agent.mgmt;

import static io.haulproof.agent.mgmt.MgmtFixture.texts;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.agent.provision.ClaimCode;
import io.haulproof.agent.provision.ClaimKey;
import io.haulproof.agent.provision.EnrollEnvelope;
import io.haulproof.agent.provision.EnrollResponse;
import io.haulproof.agent.provision.Enroller;
import io.haulproof.agent.provision.EnrollmentDesk;
import io.haulproof.agent.provision.EnrollmentException;
import io.haulproof.agent.provision.FleetCa;
import io.haulproof.agent.provision.TrustException;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.entry.KeyAction;
import io.haulproof.lightchain.entry.KeyBody;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claim-code enrollment without a broker: device request, technician check and issue, device
 * install.
 */
class EnrollmentTest {
  @TempDir Path dir;
  MgmtFixture f;
  ClaimCode code;
  Enroller enroller;
  EnrollmentDesk desk;

  @BeforeEach
  void setUp() throws Exception {
    f = new MgmtFixture(dir, false);
    code = ClaimCode.generate();
    enroller = new Enroller(f.identity, ClaimKey.create(code, "truck-7"), "1.2.3", f.clock);
    desk = new EnrollmentDesk(f.ca, f.clock);
  }

  @Test
  void enroll_rightClaim_certificateInstalledKeyLoggedConfigApplied() throws Exception {
    // given
    Bytes req = enroller.request();
    EnrollmentDesk.Checked checked = desk.check(req, "truck-7", ClaimCode.parse(code.label()));
    Bytes initial = f.request(MgmtOp.CONFIG, texts("uplink.broker", "ssl://central:8883"));

    // when
    EnrollResponse res = desk.issue(checked, Optional.of(initial));
    Optional<MgmtResponse> applied = f.service.acceptEnrollment(enroller, res.encode());

    // then
    assertThat(f.identity.enrolled()).isTrue();
    assertThat(f.identity.chain().get(0).getPublicKey())
        .isEqualTo(f.identity.activeKey().publicKey());
    KeyBody key = (KeyBody) f.hooks.evidence.get(0);
    assertThat(key.action()).isEqualTo(KeyAction.ENROLL);
    assertThat(key.kid()).isEqualTo(f.identity.activeKey().kid());
    assertThat(applied).isPresent();
    assertThat(applied.get().ok()).as("%s", applied.get().toMap()).isTrue();
    assertThat(f.service.currentConfig().values())
        .containsEntry("uplink.broker", "ssl://central:8883");
    assertThat(f.hooks.enrolledChain).hasSize(2);
    assertThat(checked.request().firmware()).isEqualTo("1.2.3");
  }

  @Test
  void check_wrongClaimCode_refused() {
    Bytes req = enroller.request();
    assertThatThrownBy(() -> desk.check(req, "truck-7", ClaimCode.generate()))
        .isInstanceOf(EnrollmentException.class)
        .hasMessageContaining("claim MAC");
  }

  @Test
  void check_otherDeviceName_refused() {
    Bytes req = enroller.request();
    assertThatThrownBy(() -> desk.check(req, "truck-8", code))
        .isInstanceOf(EnrollmentException.class)
        .hasMessageContaining("want acme/truck-8");
  }

  @Test
  void check_macMovedToAnotherSignedRequest_refused() throws Exception {
    // given a listener who saw a real request and re-signs it with its own key, keeping the
    // device's MAC
    EnrollEnvelope real = EnrollEnvelope.decode(enroller.request());
    MgmtFixture other = new MgmtFixture(dir.resolve("attacker"), false);
    Enroller attacker =
        new Enroller(
            other.identity, ClaimKey.create(ClaimCode.generate(), "truck-7"), "x", f.clock);
    EnrollEnvelope theirs = EnrollEnvelope.decode(attacker.request());
    Bytes forged = new EnrollEnvelope(theirs.signed(), real.claimMac()).encode();

    // then
    assertThatThrownBy(() -> new EnrollmentDesk(other.ca, f.clock).check(forged, "truck-7", code))
        .isInstanceOf(EnrollmentException.class);
  }

  @Test
  void accept_responseForOtherNonce_refusedNothingInstalled() throws Exception {
    Enroller second = new Enroller(f.identity, ClaimKey.create(code, "truck-7"), "1.2.3", f.clock);
    EnrollResponse res =
        desk.issue(desk.check(second.request(), "truck-7", code), Optional.empty());

    assertThatThrownBy(() -> f.service.acceptEnrollment(enroller, res.encode()))
        .isInstanceOf(EnrollmentException.class)
        .hasMessageContaining("nonce");
    assertThat(f.identity.enrolled()).isFalse();
    assertThat(f.hooks.evidence).isEmpty();
  }

  @Test
  void accept_certificateFromAnotherCa_refused() throws Exception {
    // given a rogue CA with the same fleet name answers the device
    FleetCa rogue = FleetCa.init(dir.resolve("rogue"), "acme", f.clock);
    EnrollmentDesk rogueDesk = new EnrollmentDesk(rogue, f.clock);
    EnrollResponse res =
        rogueDesk.issue(rogueDesk.check(enroller.request(), "truck-7", code), Optional.empty());
    EnrollResponse withoutCrl =
        new EnrollResponse(res.nonce(), res.chain(), Optional.empty(), Optional.empty());

    assertThatThrownBy(() -> f.service.acceptEnrollment(enroller, withoutCrl.encode()))
        .isInstanceOf(TrustException.class);
    assertThatThrownBy(() -> f.service.acceptEnrollment(enroller, res.encode()))
        .isInstanceOf(TrustException.class);
    assertThat(f.identity.enrolled()).isFalse();
  }

  @Test
  void request_claimFileOnDevice_neverHoldsTheCode() throws Exception {
    ClaimKey k = ClaimKey.create(code, "truck-7");
    k.save(dir.resolve("claim"));
    String stored = java.nio.file.Files.readString(dir.resolve("claim"));
    assertThat(stored).doesNotContain(code.label()).doesNotContain(code.label().replace("-", ""));
    assertThat(List.of(stored.split("\n"))).hasSize(3);
  }
}
