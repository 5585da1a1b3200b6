package io.haulproof.agent.testing;

import java.nio.file.Path;

/** Agent configurations ({@code agent.yaml}) that several process-level tests run with. */
public final class AgentYaml {
  private AgentYaml() {}

  /**
   * A truck with a Toledo scale and one rear-comb FDX-B reader on the given ports, bins not
   * enforced, the HTTP server on a free port.
   */
  public static String scaleAndRfid(String deviceId, Path dataDir, Path scale, Path rfid) {
    return """
        device: { id: %s, fleet: it-fleet, dataDir: "%s" }
        scale:
          protocol: toledo
          port: { path: "%s" }
          interval: 0.5
          min: 10
          max: 500
          instrument: { approval: DE-IT-1, serial: SC-IT-1, calibrationDate: "2026-03-01" }
        rfid:
          - { protocol: fdxb-uart, port: { path: "%s" }, side: REAR_COMB }
        bins: { enforce: false }
        http: { port: 0 }
        """
        .formatted(deviceId, dataDir, scale, rfid);
  }
}
