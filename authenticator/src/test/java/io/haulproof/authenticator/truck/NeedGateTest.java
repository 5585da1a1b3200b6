package io.haulproof.authenticator.truck;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import org.junit.jupiter.api.Test;

class NeedGateTest {
  private static final long NOW = 1_700_000_000_000L;
  private final Kid a = SoftwareDeviceKey.generate(CoseAlgorithm.ES256).kid();
  private final Kid b = SoftwareDeviceKey.generate(CoseAlgorithm.ES256).kid();
  private final NeedGate gate = new NeedGate();

  @Test
  void admit_freshNeed_servedNow() {
    assertThat(gate.admit(a, NOW - 1000, 3, NOW)).isEqualTo(new NeedGate.ServeNow(3));
  }

  @Test
  void admit_outsideWindowEitherWay_refusedStale() {
    long w = NeedGate.WINDOW_MILLIS;
    assertThat(gate.admit(a, NOW - w - 1, 0, NOW))
        .isInstanceOfSatisfying(
            NeedGate.Refused.class, r -> assertThat(r.reason()).isEqualTo("stale"));
    assertThat(gate.admit(a, NOW + w + 1, 0, NOW))
        .isInstanceOfSatisfying(
            NeedGate.Refused.class, r -> assertThat(r.reason()).isEqualTo("stale"));
    // the edges are inside, and the refused ones did not count as taken
    assertThat(gate.admit(a, NOW - w, 0, NOW)).isInstanceOf(NeedGate.ServeNow.class);
    assertThat(gate.admit(b, NOW + w, 0, NOW)).isInstanceOf(NeedGate.ServeNow.class);
  }

  @Test
  void admit_sameOrOlderTimeAgain_refusedReplayed() {
    gate.admit(a, NOW, 0, NOW);
    for (long t : new long[] {NOW, NOW - 1}) {
      assertThat(gate.admit(a, t, 0, NOW + 5000))
          .isInstanceOfSatisfying(
              NeedGate.Refused.class, r -> assertThat(r.reason()).isEqualTo("replayed"));
    }
    // another node's clock is its own
    assertThat(gate.admit(b, NOW - 1, 0, NOW + 5000)).isInstanceOf(NeedGate.ServeNow.class);
  }

  @Test
  void admit_burstWithinInterval_oneDeferredResendFromLowest() {
    assertThat(gate.admit(a, NOW, 5, NOW)).isEqualTo(new NeedGate.ServeNow(5));
    assertThat(gate.admit(a, NOW + 1, 4, NOW + 300))
        .isEqualTo(new NeedGate.Deferred(true, NeedGate.INTERVAL_MILLIS - 300));
    assertThat(gate.admit(a, NOW + 2, 2, NOW + 400)).isEqualTo(new NeedGate.Deferred(false, 0));
    assertThat(gate.admit(a, NOW + 3, 7, NOW + 500)).isEqualTo(new NeedGate.Deferred(false, 0));
    // node b is not held back by a
    assertThat(gate.admit(b, NOW + 3, 1, NOW + 500)).isEqualTo(new NeedGate.ServeNow(1));

    assertThat(gate.takeDeferred(a, NOW + 1000)).isEqualTo(new NeedGate.Due(2, 3));
    // the deferred resend counts as served: the next need within a second waits again
    assertThat(gate.admit(a, NOW + 4, 0, NOW + 1500)).isEqualTo(new NeedGate.Deferred(true, 500));
    assertThat(gate.takeDeferred(a, NOW + 2000)).isEqualTo(new NeedGate.Due(0, 1));
    assertThat(gate.admit(a, NOW + 5, 9, NOW + 3000)).isEqualTo(new NeedGate.ServeNow(9));
  }
}
