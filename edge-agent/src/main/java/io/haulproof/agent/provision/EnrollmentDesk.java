package io.haulproof.agent.provision;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.VerificationException;
import java.io.IOException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * The technician's side of enrollment (DESIGN.md step 3): checks a device's request against the
 * claim code read off its label, and issues its certificate from the fleet CA.
 *
 * <p>Checks, in order: envelope and COSE structure; the request names the fleet and the device the
 * technician typed; the COSE signature verifies with the request's own public key (proof of
 * possession); the CSR carries the same key and its self-signature verifies; the claim MAC verifies
 * with the key derived from the label code. Only then is a certificate issued.
 */
public final class EnrollmentDesk {
  private final FleetCa ca;
  private final Clock clock;

  /** A request that passed every check. */
  public record Checked(EnrollRequest request, PublicKey key, PKCS10CertificationRequest csr) {}

  public EnrollmentDesk(FleetCa ca, Clock clock) {
    this.ca = Objects.requireNonNull(ca, "ca");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Checks an {@code enroll/req} payload.
   *
   * @throws EnrollmentException naming the failed check
   */
  public Checked check(Bytes wire, String device, ClaimCode code) {
    try {
      return checkUnsafe(wire, device, code);
    } catch (EnrollmentException e) {
      throw e;
    } catch (RuntimeException e) {
      // Defence in depth: any parser surprise on untrusted input is a refusal, never a crash of the
      // tool.
      throw new EnrollmentException(
          "enroll request refused: " + e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  private Checked checkUnsafe(Bytes wire, String device, ClaimCode code) {
    EnrollEnvelope env;
    CoseSign1 cose;
    EnrollRequest req;
    try {
      env = EnrollEnvelope.decode(wire);
      cose = CoseSign1.decode(env.signed(), EnrollRequest.LIMITS);
      req = EnrollRequest.decode(cose.payload());
    } catch (CborException e) {
      throw new EnrollmentException("malformed enroll request: " + e.getMessage(), e);
    }
    DeviceRef want = new DeviceRef(ca.fleet(), device);
    if (!req.ref().equals(want)) {
      throw new EnrollmentException("enroll request from " + req.ref() + ", want " + want);
    }
    PKCS10CertificationRequest csr = CsrChecks.parse(req.csr());
    PublicKey key = CsrChecks.verifiedPublicKey(csr);
    if (!Arrays.equals(key.getEncoded(), req.publicKey().toByteArray())) {
      throw new EnrollmentException("CSR public key differs from the request's public key");
    }
    try {
      cose.verify(key);
    } catch (VerificationException e) {
      throw new EnrollmentException(
          "enroll request signature (proof of possession) fails: " + e.getMessage(), e);
    }
    ClaimKey.derive(code, device, req.claimSalt(), req.claimIterations())
        .verify(env.signed(), env.claimMac());
    return new Checked(req, key, csr);
  }

  /**
   * Issues the certificate and builds the response, with an optional signed initial configuration.
   */
  public EnrollResponse issue(Checked checked, Optional<Bytes> initialConfig) throws IOException {
    X509Certificate cert = ca.issueDevice(checked.csr(), checked.request().ref().device());
    return new EnrollResponse(
        checked.request().nonce(),
        List.of(Certificates.der(cert), Certificates.der(ca.root())),
        initialConfig,
        Optional.of(Certificates.der(ca.currentCrl())));
  }

  public Clock clock() {
    return clock;
  }
}
