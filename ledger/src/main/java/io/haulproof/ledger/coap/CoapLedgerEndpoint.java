package io.haulproof.ledger.coap;

import io.haulproof.ledger.DeviceLedger;
import io.haulproof.ledger.Ledger;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.coap.CertIdentity;
import io.haulproof.uplink.coap.CoapConfigs;
import io.haulproof.uplink.coap.CoapSender;
import io.haulproof.uplink.wire.ReceiptMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.Principal;
import java.util.Map;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.CoapServer;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.network.CoapEndpoint;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.elements.auth.PreSharedKeyIdentity;
import org.eclipse.californium.elements.auth.X509CertPath;
import org.eclipse.californium.elements.config.Configuration;
import org.eclipse.californium.scandium.DTLSConnector;
import org.eclipse.californium.scandium.config.DtlsConnectorConfig;
import org.eclipse.californium.scandium.dtls.pskstore.AdvancedMultiPskStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's CoAP side for battery bins (Californium, Scandium DTLS): {@code POST
 * /hp/v1/entries?fleet=F&device=D& index=I} with the COSE entry as body, and {@code POST
 * /hp/v1/checkpoints?fleet=F&device=D} with the checkpoint message as body, answered with the
 * receipt (CBOR) in the response.
 *
 * <p>Security guarantees: on the DTLS endpoint the device in the query must equal the DTLS identity
 * (PSK identity or certificate CN), else 4.03; entries and checkpoints are verified by signature as
 * on MQTT either way. Answers: 2.04 stored or already held, 4.00 rejected (reason as text), 4.09 a
 * different entry is held at that index, 5.03 not stored now (retry later).
 */
public final class CoapLedgerEndpoint implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CoapLedgerEndpoint.class);

  private final Ledger ledger;
  private final CoapServer server;
  private final CoapEndpoint dtls;
  private final CoapEndpoint plain;

  /**
   * @param dtlsBind where DTLS listens, or null for none
   * @param pskByIdentity pre-shared keys by identity (= device id)
   * @param plainBind where unencrypted CoAP listens (development and tests), or null for none
   */
  public CoapLedgerEndpoint(
      Ledger ledger,
      InetSocketAddress dtlsBind,
      Map<String, byte[]> pskByIdentity,
      InetSocketAddress plainBind) {
    this(ledger, dtlsBind, pskByIdentity, null, plainBind);
  }

  /**
   * @param certificates the ledger's X.509 identity and the fleet CA devices' certificates must
   *     chain to, or null for PSK only; a device may authenticate with either
   */
  public CoapLedgerEndpoint(
      Ledger ledger,
      InetSocketAddress dtlsBind,
      Map<String, byte[]> pskByIdentity,
      CertIdentity certificates,
      InetSocketAddress plainBind) {
    this.ledger = ledger;
    Configuration config = CoapConfigs.standard();
    this.server = new CoapServer(config);
    if (dtlsBind != null) {
      AdvancedMultiPskStore psk = new AdvancedMultiPskStore();
      pskByIdentity.forEach(psk::setKey);
      if (certificates != null) {
        config.set(
            org.eclipse.californium.scandium.config.DtlsConfig.DTLS_ROLE,
            org.eclipse.californium.scandium.config.DtlsConfig.DtlsRole.SERVER_ONLY);
        config.set(
            org.eclipse.californium.scandium.config.DtlsConfig.DTLS_CLIENT_AUTHENTICATION_MODE,
            org.eclipse.californium.elements.config.CertificateAuthenticationMode.WANTED);
      }
      DtlsConnectorConfig.Builder b =
          DtlsConnectorConfig.builder(config).setAddress(dtlsBind).setAdvancedPskStore(psk);
      if (certificates != null) {
        CoapSender.applyCertificates(b, certificates);
      }
      DtlsConnectorConfig dc = b.build();
      dtls =
          CoapEndpoint.builder()
              .setConfiguration(config)
              .setConnector(new DTLSConnector(dc))
              .build();
      server.addEndpoint(dtls);
    } else {
      dtls = null;
    }
    if (plainBind != null) {
      plain =
          CoapEndpoint.builder().setConfiguration(config).setInetSocketAddress(plainBind).build();
      server.addEndpoint(plain);
    } else {
      plain = null;
    }
    CoapResource hp = new CoapResource("hp");
    CoapResource v1 = new CoapResource("v1");
    hp.add(v1);
    v1.add(new EntriesResource());
    v1.add(new CheckpointsResource());
    server.add(hp);
    server.start();
  }

  /** The DTLS port, or -1. */
  public int dtlsPort() {
    return dtls == null ? -1 : dtls.getAddress().getPort();
  }

  /** The plain CoAP port, or -1. */
  public int plainPort() {
    return plain == null ? -1 : plain.getAddress().getPort();
  }

  @Override
  public void close() {
    server.destroy();
  }

  private Topics topics(CoapExchange ex) {
    String fleet = ex.getQueryParameter("fleet");
    String device = ex.getQueryParameter("device");
    if (fleet == null || device == null) {
      throw new IllegalArgumentException("query needs fleet and device");
    }
    Topics t = new Topics(fleet, device);
    Principal who = ex.advanced().getRequest().getSourceContext().getPeerIdentity();
    if (who != null) {
      String id =
          who instanceof PreSharedKeyIdentity p
              ? p.getIdentity()
              : who instanceof X509CertPath x ? x.getCN() : who.getName();
      if (!device.equals(id)) {
        throw new SecurityException("DTLS identity " + id + " may not send for device " + device);
      }
    }
    return t;
  }

  private final class EntriesResource extends CoapResource {
    EntriesResource() {
      super("entries");
    }

    @Override
    public void handlePOST(CoapExchange ex) {
      try {
        Topics t = topics(ex);
        DeviceLedger.Outcome o =
            io.haulproof.uplink.outbox.OutboundEntry.LOST.equals(ex.getQueryParameter("kind"))
                ? ledger.acceptLost(
                    t, ex.getQueryParameter("index"), Bytes.of(ex.getRequestPayload()))
                : ledger.acceptEntry(
                    t, ex.getQueryParameter("index"), Bytes.of(ex.getRequestPayload()));
        switch (o) {
          case STORED, DUPLICATE, BUFFERED -> ex.respond(ResponseCode.CHANGED);
          case CONFLICT ->
              ex.respond(ResponseCode.CONFLICT, "a different entry is held at this index");
          case DROPPED ->
              ex.respond(
                  ResponseCode.SERVICE_UNAVAILABLE,
                  "gap before this index; resend from " + ledger.device(t).stored());
        }
      } catch (SecurityException e) {
        ex.respond(ResponseCode.FORBIDDEN, e.getMessage());
      } catch (Ledger.RejectedEntryException | IllegalArgumentException e) {
        ex.respond(ResponseCode.BAD_REQUEST, e.getMessage());
      } catch (IOException | RuntimeException e) {
        LOG.error("CoAP entry failed", e);
        ex.respond(ResponseCode.SERVICE_UNAVAILABLE, "storage error");
      }
    }
  }

  private final class CheckpointsResource extends CoapResource {
    CheckpointsResource() {
      super("checkpoints");
    }

    @Override
    public void handlePOST(CoapExchange ex) {
      try {
        Topics t = topics(ex);
        Bytes checkpoint = Bytes.of(ex.getRequestPayload());
        ReceiptMessage r = ledger.acceptCheckpoint(t, checkpoint);
        ex.respond(
            ResponseCode.CHANGED,
            ledger.sealReceipt(checkpoint, r).toByteArray(),
            MediaTypeRegistry.APPLICATION_CBOR);
      } catch (SecurityException e) {
        ex.respond(ResponseCode.FORBIDDEN, e.getMessage());
      } catch (IllegalArgumentException e) {
        ex.respond(ResponseCode.BAD_REQUEST, e.getMessage());
      } catch (IOException | RuntimeException e) {
        LOG.error("CoAP checkpoint failed", e);
        ex.respond(ResponseCode.SERVICE_UNAVAILABLE, "storage error");
      }
    }
  }
}
