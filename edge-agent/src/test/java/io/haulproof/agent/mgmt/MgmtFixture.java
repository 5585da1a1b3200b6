package io.haulproof.agent.mgmt;

import io.haulproof.agent.provision.CsrBuilder;
import io.haulproof.agent.provision.DeviceIdentity;
import io.haulproof.agent.provision.DeviceRef;
import io.haulproof.agent.provision.FleetCa;
import io.haulproof.agent.provision.OperatorCredentials;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborText;
import io.haulproof.lightchain.cbor.CborValue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fleet CA, an operator, and an enrolled device with its management service, all in one temp
 * directory.
 */
public final class MgmtFixture {
  public static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");
  public final Path dir;
  public final MutableClock clock = new MutableClock(NOW);
  public final DeviceRef ref = new DeviceRef("acme", "truck-7");
  public final FleetCa ca;
  public final OperatorCredentials operator;
  public final MemoryKeyStore keys = new MemoryKeyStore();
  public final DeviceIdentity identity;
  public final RecordingHooks hooks = new RecordingHooks();
  public final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  public ManagementService service;

  public MgmtFixture(Path dir, boolean enroll) throws IOException {
    this.dir = dir;
    ca = FleetCa.init(dir.resolve("ca"), "acme", clock);
    operator = OperatorCredentials.issue(ca, "alice", dir.resolve("op"));
    identity = DeviceIdentity.open(dir.resolve("device/identity"), ref, ca.root(), keys, clock);
    if (enroll) {
      identity.installCertificate(
          List.of(ca.issueDevice(CsrBuilder.build(identity.activeKey(), ref), ref.device())));
    }
    service = ManagementService.open(dir.resolve("device/mgmt"), identity, hooks, clock, meters);
  }

  public RequestSigner signer() {
    return new RequestSigner(operator, clock);
  }

  /** A signed request with the operator's next version, valid for ten minutes. */
  public Bytes request(MgmtOp op, Map<String, CborValue> params) throws IOException {
    return signer().sign(op, ref, params, Duration.ofMinutes(10));
  }

  public static Map<String, CborValue> texts(String... kv) {
    Map<String, CborValue> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], new CborText(kv[i + 1]));
    }
    return m;
  }

  /** Reopens the service from disk, as after a restart. */
  public void restart() throws IOException {
    service = ManagementService.open(dir.resolve("device/mgmt"), identity, hooks, clock, meters);
  }

  /** A clock tests can move. */
  public static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    public void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
