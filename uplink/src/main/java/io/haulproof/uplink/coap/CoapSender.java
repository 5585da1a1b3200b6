package io.haulproof.uplink.coap;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.outbox.EntrySender;
import io.haulproof.uplink.outbox.OutboundEntry;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.eclipse.californium.core.CoapClient;
import org.eclipse.californium.core.CoapHandler;
import org.eclipse.californium.core.CoapResponse;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedSinglePskStore;

/**
 * A battery bin's CoAP uplink client (Californium, Scandium DTLS with PSK and Connection ID):
 * confirmable POSTs of entries and checkpoints, block-wise above 1,024 bytes. An entry counts as
 * delivered on a 2.xx answer only.
 */
public final class CoapSender implements EntrySender, AutoCloseable {
  /** The ledger answered with something other than 2.xx. */
  public static final class CoapRejectedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CoapRejectedException(String what, String code, String text) {
      super(what + " answered " + code + (text.isEmpty() ? "" : ": " + text) + ", want 2.xx");
    }
  }

  private final Topics topics;
  private final String base;
  private final CoapEndpoint endpoint;
  private final CoapClient client;

  private CoapSender(Topics topics, String base, CoapEndpoint endpoint) {
    this.topics = topics;
    this.base = base;
    this.endpoint = endpoint;
    this.client = new CoapClient();
    this.client.setEndpoint(endpoint);
  }

  /** A client over DTLS with pre-shared key {@code psk} under identity {@code topics.device()}. */
  public static CoapSender dtlsPsk(Topics topics, InetSocketAddress ledger, byte[] psk) {
    return dtlsPsk(topics, ledger, topics.device(), psk);
  }

  /** A client over DTLS with pre-shared key {@code psk} under {@code identity}. */
  public static CoapSender dtlsPsk(
      Topics topics, InetSocketAddress ledger, String identity, byte[] psk) {
    Configuration config = CoapConfigs.standard();
    DtlsConnectorConfig dc =
        DtlsConnectorConfig.builder(config)
            .setAdvancedPskStore(new AdvancedSinglePskStore(identity, psk.clone()))
            .build();
    CoapEndpoint ep =
        CoapEndpoint.builder().setConfiguration(config).setConnector(new DTLSConnector(dc)).build();
    return new CoapSender(topics, "coaps://" + ledger.getHostString() + ":" + ledger.getPort(), ep);
  }

  /**
   * A client over DTLS with an X.509 device certificate (CN = device id) that trusts {@code
   * identity.trusted()} for the ledger; the ledger's certificate must name the host in {@code
   * ledger}.
   */
  public static CoapSender dtlsCertificate(
      Topics topics, InetSocketAddress ledger, CertIdentity identity) {
    Configuration config = CoapConfigs.standard();
    config.set(
        org.eclipse.californium.scandium.config.DtlsConfig.DTLS_ROLE,
        org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole.CLIENT_ONLY);
    DtlsConnectorConfig.Builder b = DtlsConnectorConfig.builder(config);
    applyCertificates(b, identity);
    CoapEndpoint ep =
        CoapEndpoint.builder()
            .setConfiguration(config)
            .setConnector(new DTLSConnector(b.build()))
            .build();
    return new CoapSender(topics, "coaps://" + ledger.getHostString() + ":" + ledger.getPort(), ep);
  }

  public static void applyCertificates(DtlsConnectorConfig.Builder b, CertIdentity id) {
    b.setCertificateIdentityProvider(
        new org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider(
            id.key(),
            id.chain().toArray(new java.security.cert.X509Certificate[0]),
            org.eclipse.californium.scandium.dtls.CertificateType.X_509));
    b.setAdvancedCertificateVerifier(
        org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier.builder()
            .setTrustedCertificates(id.trusted().toArray(new java.security.cert.X509Certificate[0]))
            .build());
  }

  /**
   * A client over plain CoAP (development and tests only: no transport security, entries are still
   * signed).
   */
  public static CoapSender plain(Topics topics, InetSocketAddress ledger) {
    Configuration config = CoapConfigs.standard();
    CoapEndpoint ep = CoapEndpoint.builder().setConfiguration(config).build();
    return new CoapSender(topics, "coap://" + ledger.getHostString() + ":" + ledger.getPort(), ep);
  }

  private String query() {
    return "?fleet=" + enc(topics.fleet()) + "&device=" + enc(topics.device());
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public CompletableFuture<Void> send(OutboundEntry e) {
    return post(
            base
                + "/hp/v1/entries"
                + query()
                + "&index="
                + e.index()
                + (e.isLost() ? "&kind=" + OutboundEntry.LOST : ""),
            e.cose(),
            "entry " + e.index())
        .thenApply(b -> null);
  }

  /** Posts a checkpoint message; completes with the receipt payload. */
  public CompletableFuture<Bytes> sendCheckpoint(Bytes checkpointMessage) {
    return post(base + "/hp/v1/checkpoints" + query(), checkpointMessage, "checkpoint");
  }

  private CompletableFuture<Bytes> post(String uri, Bytes body, String what) {
    CompletableFuture<Bytes> f = new CompletableFuture<>();
    Request req = Request.newPost();
    req.setURI(uri);
    req.setConfirmable(true);
    req.setPayload(body.toByteArray());
    req.getOptions().setContentFormat(MediaTypeRegistry.APPLICATION_CBOR);
    client.advanced(
        new CoapHandler() {
          @Override
          public void onLoad(CoapResponse r) {
            if (r.isSuccess()) {
              f.complete(Bytes.of(r.getPayload() == null ? new byte[0] : r.getPayload()));
            } else {
              f.completeExceptionally(
                  new CoapRejectedException(what, r.getCode().toString(), r.getResponseText()));
            }
          }

          @Override
          public void onError() {
            f.completeExceptionally(
                new java.io.IOException(what + ": no CoAP answer (timeout or DTLS failure)"));
          }
        },
        req);
    return f;
  }

  @Override
  public void close() {
    client.shutdown();
    endpoint.destroy();
  }
}
