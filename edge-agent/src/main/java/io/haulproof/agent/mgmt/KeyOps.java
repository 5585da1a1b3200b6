package io.haulproof.agent.mgmt;

import io.haulproof.agent.provision.Certificates;
import io.haulproof.agent.provision.CsrBuilder;
import io.haulproof.agent.provision.DeviceIdentity;
import io.haulproof.agent.provision.TrustException;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.entry.ConfigBody;
import io.haulproof.lightchain.entry.KeyAction;
import io.haulproof.lightchain.entry.KeyBody;
import java.io.IOException;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * The {@code rotate-key} and {@code revoke} operations.
 *
 * <p>Rotation (DESIGN.md step 6) takes two requests. {@code step=begin}: the agent creates a
 * pending key in its store and answers with the CSR and a proof (a COSE_Sign1 by the
 * <em>current</em> key over {@code {1: device, 2: csr, 3: request version}}), so the technician's
 * tool knows the new key belongs to the device it already trusts. {@code step=commit} with {@code
 * cert}: the agent checks the certificate against the pinned root and the pending key, switches,
 * tells the runtime, confirms the new key works (a probe signed inside the store verifies with the
 * certificate's key, and the {@code key} entry is logged signed by the new key), and only then
 * destroys the old key. Any failure rolls back to the old key. {@code step=abort} destroys a
 * pending key.
 *
 * <p>Revocation: {@code crl} (DER) must be signed by the fleet root and newer than the cached CRL;
 * it is cached, and logged as a {@code config} entry in section "crl". If it revokes this device's
 * own certificate, a {@code key} entry with action REVOKE is logged as well.
 */
final class KeyOps {
  private final DeviceIdentity identity;
  private final AgentHooks hooks;

  KeyOps(DeviceIdentity identity, AgentHooks hooks) {
    this.identity = identity;
    this.hooks = hooks;
  }

  Map<String, Object> rotate(VerifiedRequest r) throws IOException {
    String step = r.request().text("step").orElse("");
    switch (step) {
      case "begin":
        return begin(r);
      case "commit":
        return commit(r);
      case "abort":
        identity.abortRotation();
        return Map.of("step", "abort");
      default:
        throw new MgmtException(
            RejectReason.BAD_PARAMS,
            "rotate-key step \"" + step + "\", want begin, commit or abort");
    }
  }

  private Map<String, Object> begin(VerifiedRequest r) throws IOException {
    PKCS10CertificationRequest csr = identity.beginRotation();
    Bytes der = CsrBuilder.der(csr);
    Bytes proofPayload =
        Cbor.encode(
            CborMap.builder()
                .put(1, identity.ref().device())
                .put(2, der)
                .put(3, r.request().version())
                .build());
    Bytes proof = CoseSign1.sign(identity.activeKey(), proofPayload).encoded();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("step", "begin");
    out.put("csr", der.toHex());
    out.put("new_kid", identity.pendingKey().orElseThrow().kid().toHex());
    out.put("old_kid", identity.activeKey().kid().toHex());
    out.put("proof", proof.toHex());
    return out;
  }

  private Map<String, Object> commit(VerifiedRequest r) throws IOException {
    Bytes certDer =
        r.request()
            .bytes("cert")
            .orElseThrow(() -> new MgmtException(RejectReason.BAD_PARAMS, "missing param cert"));
    X509Certificate cert;
    try {
      cert = Certificates.fromDer(certDer);
    } catch (CertificateException e) {
      throw new MgmtException(RejectReason.BAD_PARAMS, "cert does not parse: " + e.getMessage(), e);
    }
    if (identity.pendingKey().isEmpty()) {
      throw new MgmtException(
          RejectReason.BAD_PARAMS, "no key rotation in progress; send step=begin first");
    }
    DeviceKey old = identity.activeKey();
    DeviceKey next;
    try {
      next = identity.switchToPending(cert);
    } catch (TrustException e) {
      throw new MgmtException(RejectReason.BAD_PARAMS, "certificate refused: " + e.getMessage(), e);
    }
    // The ROTATE entry is signed by the old key (verifiers learn the new key from it), then the log
    // switches: every
    // entry after the switch is signed by the new key.
    boolean logged = false;
    try {
      Bytes probe =
          Bytes.wrap(
              ("haulproof key confirmation " + r.request().version())
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      CoseSign1.sign(next, probe).verify(cert.getPublicKey());
      hooks.appendEvidence(
          new KeyBody(
              KeyAction.ROTATE,
              next.kid(),
              Bytes.wrap(next.publicKey().getEncoded()),
              List.of(certDer, Certificates.der(identity.trust().root())),
              Optional.of(old.kid()),
              Optional.of("rotated on request " + r.request().version() + " by " + r.issuer())));
      logged = true;
      hooks.keyChanged(next);
      identity.confirmSwitch();
    } catch (Exception e) {
      identity.rollbackSwitch();
      String restored = "";
      try {
        hooks.keyChanged(old);
        if (logged) {
          hooks.appendEvidence(
              new KeyBody(
                  KeyAction.REVOKE,
                  next.kid(),
                  Bytes.wrap(next.publicKey().getEncoded()),
                  List.of(),
                  Optional.empty(),
                  Optional.of(
                      "rotation on request "
                          + r.request().version()
                          + " rolled back: "
                          + e.getMessage())));
        }
      } catch (Exception again) {
        e.addSuppressed(again);
        restored = "; restoring the old key in the runtime also failed: " + again.getMessage();
      }
      throw new MgmtException(
          RejectReason.APPLY_FAILED,
          "key switch failed (" + e.getMessage() + "), rolled back to " + old.kid() + restored,
          e);
    }
    return Map.of("step", "commit", "kid", next.kid().toHex(), "retired_kid", old.kid().toHex());
  }

  Map<String, Object> revoke(VerifiedRequest r) throws IOException {
    Bytes der =
        r.request()
            .bytes("crl")
            .orElseThrow(() -> new MgmtException(RejectReason.BAD_PARAMS, "missing param crl"));
    X509CRL crl;
    try {
      crl = Certificates.crlFromDer(der);
    } catch (CRLException e) {
      throw new MgmtException(RejectReason.BAD_PARAMS, "crl does not parse: " + e.getMessage(), e);
    }
    X509CRL before = identity.trust().crl();
    long number;
    try {
      number = identity.trust().withCrl(crl).crlNumber().longValueExact();
    } catch (TrustException | ArithmeticException e) {
      throw new MgmtException(RejectReason.BAD_PARAMS, "CRL refused: " + e.getMessage(), e);
    }
    Optional<Hash> prev =
        before == null ? Optional.empty() : Optional.of(Hash.sha256(Certificates.der(before)));
    List<X509Certificate> chain = identity.chain();
    boolean self = !chain.isEmpty() && crl.isRevoked(chain.get(0));
    try {
      // Log first, then cache: the log never misses a CRL the device acts on.
      hooks.appendEvidence(new ConfigBody(number, "crl", der, prev, Optional.of(r.signed())));
      if (self) {
        DeviceKey k = identity.activeKey();
        hooks.appendEvidence(
            new KeyBody(
                KeyAction.REVOKE,
                k.kid(),
                Bytes.wrap(k.publicKey().getEncoded()),
                List.of(Certificates.der(chain.get(0))),
                Optional.empty(),
                Optional.of("own certificate revoked by CRL " + number)));
      }
    } catch (Exception e) {
      throw new MgmtException(
          RejectReason.APPLY_FAILED,
          "logging the CRL failed, CRL not applied: " + e.getMessage(),
          e);
    }
    identity.acceptCrl(crl);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("crl_number", number);
    out.put(
        "revoked", crl.getRevokedCertificates() == null ? 0 : crl.getRevokedCertificates().size());
    out.put("self_revoked", self);
    return out;
  }
}
