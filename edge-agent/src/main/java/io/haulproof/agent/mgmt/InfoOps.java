package io.haulproof.agent.mgmt;

import io.haulproof.agent.provision.Certificates;
import io.haulproof.agent.provision.DeviceIdentity;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The read-only operations {@code inventory} and {@code logs}, and {@code reboot}. */
final class InfoOps {
  /**
   * The most log lines one {@code logs} request returns (keeps the answer well under MQTT packet
   * limits).
   */
  static final int MAX_LINES = 500;

  private final DeviceIdentity identity;
  private final ConfigStore config;
  private final AgentHooks hooks;

  InfoOps(DeviceIdentity identity, ConfigStore config, AgentHooks hooks) {
    this.identity = identity;
    this.config = config;
    this.hooks = hooks;
  }

  Map<String, Object> inventory() throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("fleet", identity.ref().fleet());
    out.put("device", identity.ref().device());
    out.put("kid", identity.activeKey().kid().toHex());
    out.put("alg", identity.activeKey().algorithm().name());
    List<X509Certificate> chain = identity.chain();
    out.put("enrolled", !chain.isEmpty());
    if (!chain.isEmpty()) {
      out.put("cert_serial", chain.get(0).getSerialNumber().toString(16));
      out.put("cert_sha256", Certificates.fingerprint(chain.get(0)));
    }
    out.put("fleet_root_sha256", Certificates.fingerprint(identity.trust().root()));
    out.put("crl_number", identity.trust().crlNumber());
    out.put("rotation_pending", identity.pendingKey().isPresent());
    out.put("config_version", config.current().version());
    out.put("config_snapshots", config.versions());
    out.put("calibration", config.current().section("calibration."));
    out.putAll(hooks.inventory());
    return out;
  }

  Map<String, Object> logs(VerifiedRequest r) throws Exception {
    String lines = r.request().text("lines").orElse("100");
    int n;
    try {
      n = Integer.parseInt(lines);
    } catch (NumberFormatException e) {
      throw new MgmtException(RejectReason.BAD_PARAMS, "lines \"" + lines + "\" is not a number");
    }
    if (n < 1 || n > MAX_LINES) {
      throw new MgmtException(RejectReason.BAD_PARAMS, "lines " + n + ", want 1.." + MAX_LINES);
    }
    return Map.of("lines", hooks.logTail(n));
  }

  Map<String, Object> reboot() {
    return Map.of("reboot", "scheduled");
  }
}
