package io.haulproof.agent.provision;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cose.CoseSign1;
import java.io.IOException;
import java.security.SecureRandom;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The agent's side of enrollment (DESIGN.md steps 2 and 4): builds the signed, claim-authenticated
 * request, and checks and installs the technician's response.
 *
 * <p>Security guarantees: the response is accepted only if it echoes this enroller's nonce and its
 * leaf certificate is issued by the pinned root for this device and the active key; a CRL in it is
 * accepted only if newer than the cached one. The technician never sees the private key or the
 * claim key.
 */
public final class Enroller {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DeviceIdentity identity;
  private final ClaimKey claim;
  private final String firmware;
  private final Clock clock;
  private final Bytes nonce;

  public Enroller(DeviceIdentity identity, ClaimKey claim, String firmware, Clock clock) {
    this.identity = Objects.requireNonNull(identity, "identity");
    this.claim = Objects.requireNonNull(claim, "claim");
    this.firmware = Objects.requireNonNull(firmware, "firmware");
    this.clock = Objects.requireNonNull(clock, "clock");
    byte[] n = new byte[16];
    RANDOM.nextBytes(n);
    this.nonce = Bytes.wrap(n);
  }

  /**
   * The {@code enroll/req} payload: the envelope with the COSE-signed request and the claim MAC.
   */
  public Bytes request() {
    var key = identity.activeKey();
    EnrollRequest req =
        new EnrollRequest(
            identity.ref(),
            Bytes.wrap(key.publicKey().getEncoded()),
            CsrBuilder.der(CsrBuilder.build(key, identity.ref())),
            firmware,
            claim.salt(),
            claim.iterations(),
            nonce,
            clock.instant().getEpochSecond());
    Bytes signed = CoseSign1.sign(key, req.encode()).encoded();
    return new EnrollEnvelope(signed, claim.mac(signed)).encode();
  }

  /**
   * Checks and installs a response; returns it so the caller can apply its initial configuration.
   *
   * @throws EnrollmentException or {@link TrustException} if any check fails; nothing is installed
   *     then
   */
  public EnrollResponse accept(Bytes wire) throws IOException {
    EnrollResponse res;
    try {
      res = EnrollResponse.decode(wire);
    } catch (CborException e) {
      throw new EnrollmentException("malformed enroll response: " + e.getMessage(), e);
    }
    if (!res.nonce().equals(nonce)) {
      throw new EnrollmentException("enroll response nonce " + res.nonce() + ", want " + nonce);
    }
    List<X509Certificate> chain = new ArrayList<>();
    try {
      for (Bytes der : res.chain()) {
        chain.add(Certificates.fromDer(der));
      }
    } catch (CertificateException e) {
      throw new EnrollmentException(
          "enroll response certificate does not parse: " + e.getMessage(), e);
    }
    if (chain.size() > 2 || (chain.size() == 2 && !chain.get(1).equals(identity.trust().root()))) {
      throw new TrustException(
          TrustException.Kind.UNTRUSTED_ISSUER,
          "enroll response chain must be [device] or [device, pinned root], got "
              + chain.size()
              + " certificates"
              + (chain.size() == 2 ? " ending in " + chain.get(1).getSubjectX500Principal() : ""));
    }
    if (res.crl().isPresent()) {
      try {
        var crl = Certificates.crlFromDer(res.crl().get());
        identity.trust().verifyCrl(crl);
        if (FleetTrust.crlNumberOf(crl).compareTo(identity.trust().crlNumber()) > 0) {
          identity.acceptCrl(crl);
        }
      } catch (CRLException e) {
        throw new EnrollmentException("enroll response CRL does not parse: " + e.getMessage(), e);
      }
    }
    identity.installCertificate(chain);
    return res;
  }
}
