package io.haulproof.drivers.remote.coap;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.remote.NodePayload;
import io.haulproof.drivers.remote.NodeReadingVerifier;
import io.haulproof.drivers.remote.NodeRegistry;
import io.haulproof.drivers.remote.VerifiedNodeMessage;
import io.haulproof.lightchain.cbor.Mutator;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.auth.RawPublicKeyIdentity;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DTLS with raw public keys (RFC 7250), which libcoap's OpenSSL build cannot do, with Californium's
 * own client as the node; plus random and mutated bodies over plain CoAP (the network handler must
 * answer 4.xx, never crash).
 */
class CoapRawPublicKeyIT {
  private final SoftwareDeviceKey signer =
      SoftwareDeviceKey.generate(CoseAlgorithm.ES256, new SecureRandom());
  private final NodeRegistry registry = new NodeRegistry();
  private final DriverMetrics metrics = new DriverMetrics("coap-rpk");
  private final List<VerifiedNodeMessage> forwarded = new CopyOnWriteArrayList<>();
  private KeyPair server;
  private KeyPair nodeDtls;
  private KeyPair strangerDtls;
  private CoapReadingReceiver receiver;

  private static KeyPair ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  @BeforeEach
  void start() throws Exception {
    server = ec();
    nodeDtls = ec();
    strangerDtls = ec();
    registry.register("bin-3", signer.publicKey());
    InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
    receiver =
        CoapReadingReceiver.start(
            new CoapReceiverOptions(any, any, Map.of(), server, List.of(nodeDtls.getPublic())),
            new NodeReadingVerifier(registry, Stamp::now, metrics),
            m -> {
              forwarded.add(m);
              return java.util.concurrent.CompletableFuture.completedFuture(null);
            });
  }

  @AfterEach
  void stop() {
    receiver.close();
  }

  private CoapResponse postRpk(KeyPair clientKey, byte[] body) throws Exception {
    Configuration config = Configuration.createStandardWithoutFile();
    DtlsConnectorConfig dtls =
        DtlsConnectorConfig.builder(config)
            .set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.CLIENT_ONLY)
            .set(DtlsConfig.DTLS_MAX_RETRANSMISSIONS, 2)
            .setCertificateIdentityProvider(
                new SingleCertificateProvider(clientKey.getPrivate(), clientKey.getPublic()))
            .setAdvancedCertificateVerifier(
                StaticNewAdvancedCertificateVerifier.builder()
                    .setTrustedRPKs(new RawPublicKeyIdentity(server.getPublic()))
                    .build())
            .build();
    CoapEndpoint ep =
        CoapEndpoint.builder()
            .setConfiguration(config)
            .setConnector(new DTLSConnector(dtls))
            .build();
    CoapClient c = new CoapClient("coaps://127.0.0.1:" + receiver.coapsPort() + "/hp/v1/readings");
    c.setEndpoint(ep);
    c.setTimeout(30_000L);
    try {
      return c.post(body, 18);
    } finally {
      c.shutdown();
      ep.destroy();
    }
  }

  private byte[] reading(long counter) {
    return CoseSign1.sign(
            signer,
            new NodePayload(
                    "bin-3",
                    counter,
                    OptionalLong.empty(),
                    OptionalInt.of(20),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    OptionalLong.empty(),
                    OptionalLong.empty(),
                    Optional.empty())
                .encode())
        .encoded()
        .toByteArray();
  }

  @Test
  void rpk_trustedNodeKey_changedAndUntrustedKeyHandshakeRefused() throws Exception {
    // when
    CoapResponse ok = postRpk(nodeDtls, reading(1));
    // then
    assertThat(ok).isNotNull();
    assertThat(ok.getCode()).isEqualTo(ResponseCode.CHANGED);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> postRpk(strangerDtls, reading(2)))
        .as("handshake with an untrusted raw public key must fail")
        .hasMessageContaining("BAD_CERTIFICATE");
    assertThat(forwarded).hasSize(1);
  }

  @Test
  void plainCoap_randomAndMutatedBodies_only4xxAndNothingForwarded() throws Exception {
    // given
    Random rnd = new Random(17);
    byte[] valid = reading(1000);
    CoapClient c = new CoapClient("coap://127.0.0.1:" + receiver.coapPort() + "/hp/v1/readings");
    c.setTimeout(30_000L);
    try {
      for (int i = 0; i < 60; i++) {
        byte[] body;
        if (i % 3 == 0) {
          body = new byte[rnd.nextInt(300)];
          rnd.nextBytes(body);
        } else {
          body = new Mutator(rnd).mutate(valid);
        }
        // when
        CoapResponse r = c.post(body, 18);
        // then
        assertThat(r).as("response %d", i).isNotNull();
        assertThat(r.getCode().codeClass).as("body %d", i).isEqualTo(4);
      }
    } finally {
      c.shutdown();
    }
    assertThat(forwarded).isEmpty();
    assertThat(metrics.rejectedTotal()).isEqualTo(60);
  }
}
