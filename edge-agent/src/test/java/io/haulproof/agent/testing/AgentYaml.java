package io.haulproof.agent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Agent configurations ({@code agent.yaml}) that several process-level tests run with. */
public final class AgentYaml {
  private AgentYaml() {}

  /**
   * A {@code keystore} line naming a passphrase file (mode 0600) that this writes beside {@code
   * dataDir}: tests have no systemd credentials, and {@code run} never creates a passphrase.
   */
  public static String keystore(Path dataDir) {
    Path file = dataDir.toAbsolutePath().resolveSibling(dataDir.getFileName() + ".key-pass");
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.getParent());
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "it-passphrase-" + System.nanoTime() + "\n");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "keystore: { passphraseFile: \"" + file + "\" }\n";
  }

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
            .formatted(deviceId, dataDir, scale, rfid)
        + keystore(dataDir);
  }
}
