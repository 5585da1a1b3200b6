package io.haulproof.drivers.remote.coap;

import io.haulproof.drivers.remote.NodeMessageSink;
import io.haulproof.drivers.remote.NodePayload;
import io.haulproof.drivers.remote.NodeReadingVerifier;
import io.haulproof.drivers.remote.ReadingRejectedException;
import io.haulproof.drivers.remote.VerifiedNodeMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.auth.RawPublicKeyIdentity;
import org.eclipse.californium.elements.config.CertificateAuthenticationMode;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.elements.config.UdpConfig;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConfig;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.CertificateType;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;
import org.eclipse.californium.scandium.dtls.x509.SingleCertificateProvider;
import org.eclipse.californium.scandium.dtls.x509.StaticNewAdvancedCertificateVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CoAP receiver for smart-bin readings: {@code POST /hp/v1/readings} with a COSE_Sign1 body,
 * over plain CoAP and/or DTLS 1.2 (Scandium, PSK or raw public keys). Answers 2.04 Changed only
 * once the reading verified and the sink says it is durable (the evidence log's force returned);
 * 5.03 Service Unavailable (Max-Age {@value #RETRY_AFTER_S} s) when the sink cannot store it now, a
 * full disk say (the node keeps the reading and retries; its counter is given back so the retry is
 * no replay); 4.00 malformed, 4.01 unknown node or bad signature, 4.03 replay or node mismatch,
 * 4.13 over 1024 bytes.
 */
public final class CoapReadingReceiver implements AutoCloseable {
  /** The Max-Age of a 5.03 answer: when the node should try again. */
  static final int RETRY_AFTER_S = 30;

  static {
    CoapConfig.register();
    UdpConfig.register();
    DtlsConfig.register();
  }

  private final CoapServer server;
  private final CoapEndpoint plain;
  private final CoapEndpoint secure;

  private CoapReadingReceiver(CoapServer server, CoapEndpoint plain, CoapEndpoint secure) {
    this.server = server;
    this.plain = plain;
    this.secure = secure;
  }

  /** Starts listening; the returned receiver is running. */
  public static CoapReadingReceiver start(
      CoapReceiverOptions options, NodeReadingVerifier verifier, NodeMessageSink sink) {
    Objects.requireNonNull(verifier, "verifier");
    Objects.requireNonNull(sink, "sink");
    Configuration config = Configuration.createStandardWithoutFile();
    config.set(CoapConfig.MAX_RESOURCE_BODY_SIZE, NodePayload.MAX_MESSAGE);
    CoapServer server = new CoapServer(config);
    CoapEndpoint plain = null;
    CoapEndpoint secure = null;
    if (options.coap() != null) {
      plain =
          CoapEndpoint.builder()
              .setConfiguration(config)
              .setInetSocketAddress(options.coap())
              .build();
      server.addEndpoint(plain);
    }
    if (options.coaps() != null) {
      secure =
          CoapEndpoint.builder()
              .setConfiguration(config)
              .setConnector(dtls(options, config))
              .build();
      server.addEndpoint(secure);
    }
    CoapResource hp = new CoapResource("hp");
    CoapResource v1 = new CoapResource("v1");
    hp.add(v1);
    v1.add(new ReadingsResource(verifier, sink));
    server.add(hp);
    server.start();
    return new CoapReadingReceiver(server, plain, secure);
  }

  private static DTLSConnector dtls(CoapReceiverOptions o, Configuration config) {
    DtlsConnectorConfig.Builder b =
        DtlsConnectorConfig.builder(config)
            .set(DtlsConfig.DTLS_ROLE, DtlsConfig.DtlsRole.SERVER_ONLY)
            // DTLS Connection ID (RFC 9146): NB-IoT NAT bindings change between a node's uplinks
            .set(DtlsConfig.DTLS_CONNECTION_ID_LENGTH, 6)
            .setAddress(o.coaps());
    if (!o.pskKeys().isEmpty()) {
      AdvancedMultiPskStore psk = new AdvancedMultiPskStore();
      o.pskKeys().forEach(psk::setKey);
      b.setAdvancedPskStore(psk);
    }
    if (o.rpkServerKey() != null) {
      b.set(DtlsConfig.DTLS_CLIENT_AUTHENTICATION_MODE, CertificateAuthenticationMode.NEEDED);
      b.setCertificateIdentityProvider(
          new SingleCertificateProvider(
              o.rpkServerKey().getPrivate(), o.rpkServerKey().getPublic()));
      StaticNewAdvancedCertificateVerifier.Builder v =
          StaticNewAdvancedCertificateVerifier.builder()
              .setSupportedCertificateTypes(List.of(CertificateType.RAW_PUBLIC_KEY));
      if (o.trustedRpks().isEmpty()) {
        v.setTrustAllRPKs();
      } else {
        List<RawPublicKeyIdentity> ids = new ArrayList<>();
        o.trustedRpks().forEach(k -> ids.add(new RawPublicKeyIdentity(k)));
        v.setTrustedRPKs(ids.toArray(new RawPublicKeyIdentity[0]));
      }
      b.setAdvancedCertificateVerifier(v.build());
    }
    return new DTLSConnector(b.build());
  }

  /** The bound plain CoAP port, or -1. */
  public int coapPort() {
    return plain == null ? -1 : plain.getAddress().getPort();
  }

  /** The bound CoAP-over-DTLS port, or -1. */
  public int coapsPort() {
    return secure == null ? -1 : secure.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop();
    server.destroy();
  }

  private static final class ReadingsResource extends CoapResource {
    private static final Logger LOG = LoggerFactory.getLogger(CoapReadingReceiver.class);
    private final NodeReadingVerifier verifier;
    private final NodeMessageSink sink;

    ReadingsResource(NodeReadingVerifier verifier, NodeMessageSink sink) {
      super("readings");
      this.verifier = verifier;
      this.sink = sink;
    }

    @Override
    public void handlePOST(CoapExchange exchange) {
      VerifiedNodeMessage v;
      try {
        v = verifier.verify(exchange.getRequestPayload(), null);
      } catch (ReadingRejectedException e) {
        exchange.respond(code(e), e.getMessage());
        return;
      }
      CompletionStage<Void> stored;
      try {
        stored = sink.accept(v);
      } catch (RuntimeException e) {
        stored = CompletableFuture.failedFuture(e);
      }
      stored.whenComplete(
          (ok, e) -> {
            if (e == null) {
              exchange.respond(ResponseCode.CHANGED);
              return;
            }
            verifier.release(v);
            LOG.warn(
                "reading from node {} not stored, answered 5.03: {}", v.nodeId(), e.toString());
            Response r = new Response(ResponseCode.SERVICE_UNAVAILABLE);
            r.getOptions().setMaxAge(RETRY_AFTER_S);
            r.setPayload("not stored, retry later");
            exchange.respond(r);
          });
    }

    private static ResponseCode code(ReadingRejectedException e) {
      return switch (e.reason()) {
        case OVERSIZE -> ResponseCode.REQUEST_ENTITY_TOO_LARGE;
        case MALFORMED -> ResponseCode.BAD_REQUEST;
        case UNKNOWN_NODE, BAD_SIGNATURE -> ResponseCode.UNAUTHORIZED;
        case NODE_MISMATCH, REPLAY -> ResponseCode.FORBIDDEN;
      };
    }
  }
}
