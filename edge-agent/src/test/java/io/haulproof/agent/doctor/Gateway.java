package io.haulproof.agent.doctor;

import io.haulproof.agent.config.AgentConfig;
import io.haulproof.agent.config.ConfigLoader;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.uplink.testing.TestPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;

/**
 * Test fixture: a gateway installed in a temp directory (data dir, key files, config YAML) for the
 * doctor tests.
 */
final class Gateway {
  final Path dir;
  final Path data;
  final Path config;

  Gateway(Path dir) throws IOException {
    this.dir = dir;
    this.data = Files.createDirectories(dir.resolve("data"));
    this.config = dir.resolve("agent.yaml");
  }

  /**
   * Writes DATA/keys/device.p8 (mode 0600; the doctor never decrypts it) and the matching public
   * PEM.
   */
  Gateway withKey() throws IOException, GeneralSecurityException {
    Path keys = Files.createDirectories(data.resolve("keys"));
    KeyPair pair = TestPki.newKeyPair();
    Path p8 = keys.resolve("device.p8");
    Files.createFile(
        p8, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(p8, "-----BEGIN ENCRYPTED PRIVATE KEY-----\n(not read by the doctor)\n");
    Files.writeString(keys.resolve("device.pub.pem"), PublicKeys.toPem(pair.getPublic()));
    return this;
  }

  /** A depot gateway config (no sensors): uplink and smart-bin broker URLs, status HTTP port. */
  Gateway depot(String uplinkBroker, String tlsYaml, String binBroker, int httpPort)
      throws IOException {
    Files.writeString(
        config,
        """
        device:
          id: depot-test
          fleet: test-fleet
          dataDir: %s
        remote:
          mqttBroker: %s
          nodesFile: %s
        uplink:
          broker: %s
        %s
        http:
          bind: 127.0.0.1
          port: %d
        """
            .formatted(
                data, binBroker, dir.resolve("nodes.yaml"), uplinkBroker, tlsYaml, httpPort));
    return this;
  }

  AgentConfig load() {
    return new ConfigLoader().load(config);
  }

  /**
   * A loopback port with a listener, or (listening=false) one that was just freed and refuses
   * connections.
   */
  static ServerSocket listening() throws IOException {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress("127.0.0.1", 0));
    return s;
  }

  static int closedPort() throws IOException {
    try (ServerSocket s = listening()) {
      return s.getLocalPort();
    }
  }
}
