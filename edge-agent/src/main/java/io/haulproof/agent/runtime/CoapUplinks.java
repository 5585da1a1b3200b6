package io.haulproof.agent.runtime;

import io.haulproof.agent.config.AgentConfig;
import io.haulproof.agent.config.ConfigException;
import io.haulproof.agent.config.UplinkConfig;
import io.haulproof.lightchain.Lightchain;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.checkpoint.CheckpointPublisher;
import io.haulproof.uplink.coap.CertIdentity;
import io.haulproof.uplink.coap.CoapSender;
import io.haulproof.uplink.tls.Pem;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Builds a smart bin's CoAP uplink from {@code uplink.coap}: DTLS with the pre-shared key of {@code
 * uplink.pskFile} (identity = device id) or with the device certificate of {@code uplink.tls};
 * {@code coap://} (no DTLS) only when no key material is configured (tests, trusted networks).
 */
final class CoapUplinks {
  private CoapUplinks() {}

  static CoapUplinkPort create(AgentConfig c, UplinkConfig u, Lightchain chain, Path dataDir)
      throws IOException {
    URI uri = URI.create(u.coap());
    boolean dtls = uri.getScheme().equals("coaps");
    InetSocketAddress ledger =
        new InetSocketAddress(
            uri.getHost(), uri.getPort() > 0 ? uri.getPort() : dtls ? 5684 : 5683);
    Topics topics = new Topics(c.device().fleet(), c.device().id());
    CoapSender sender;
    if (!dtls) {
      sender = CoapSender.plain(topics, ledger);
    } else if (u.pskFile() != null) {
      Map<String, byte[]> keys = PskFile.load(Path.of(u.pskFile()), "uplink.pskFile");
      byte[] psk = keys.get(c.device().id());
      if (psk == null) {
        throw new ConfigException(
            "uplink.pskFile", "has no line for this device's id " + c.device().id());
      }
      sender = CoapSender.dtlsPsk(topics, ledger, psk);
    } else {
      sender =
          CoapSender.dtlsCertificate(
              topics,
              ledger,
              new CertIdentity(
                  Pem.readPrivateKey(Path.of(u.tls().key())),
                  Pem.readCertificates(Path.of(u.tls().cert())),
                  Pem.readCertificates(Path.of(u.tls().ca()))));
    }
    Path state = Files.createDirectories(dataDir.resolve("uplink"));
    return new CoapUplinkPort(
        chain,
        sender,
        state,
        AgentFactory.witnessKey(u),
        new CheckpointPublisher.Settings(
            Duration.ofMillis(u.checkpointIntervalMs()), c.chain().blockMaxEntries()));
  }
}
