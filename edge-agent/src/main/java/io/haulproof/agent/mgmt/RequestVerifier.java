package io.haulproof.agent.mgmt;

import io.haulproof.agent.provision.Certificates;
import io.haulproof.agent.provision.DeviceRef;
import io.haulproof.agent.provision.FleetTrust;
import io.haulproof.agent.provision.TrustException;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.cose.CoseSign1Parts;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.VerificationException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Checks a received management request, in order: size, COSE_Sign1 structure, payload, signer
 * certificate against the pinned fleet root and CRL, signature, target, lifetime, replay.
 *
 * <p>Security guarantees: nothing in the payload is acted on before the signature verifies; the
 * issuer is the kid of the certificate's key, which the signature was verified with. Replay is only
 * <em>checked</em> here; the caller records the version with {@link ReplayGuard#accept} before
 * acting, so a crash cannot reopen a replay window. Every failure is a {@link MgmtException} with a
 * {@link RejectReason}; no other exception escapes for any input bytes.
 */
public final class RequestVerifier {
  /** Tolerated clock skew for {@code issued} in the future. */
  public static final Duration SKEW = Duration.ofMinutes(10);

  /**
   * The longest lifetime a request may state ({@code expires - issued}): queued requests may wait
   * for an offline truck.
   */
  public static final Duration MAX_LIFETIME = Duration.ofDays(30);

  private final DeviceRef self;
  private final Supplier<FleetTrust> trust;
  private final ReplayGuard replay;
  private final Clock clock;

  public RequestVerifier(
      DeviceRef self, Supplier<FleetTrust> trust, ReplayGuard replay, Clock clock) {
    this.self = Objects.requireNonNull(self, "self");
    this.trust = Objects.requireNonNull(trust, "trust");
    this.replay = Objects.requireNonNull(replay, "replay");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Verifies {@code received}.
   *
   * @throws MgmtException with the reason of the first failed check
   */
  public VerifiedRequest verify(Bytes received) {
    try {
      return verifyChecked(received);
    } catch (MgmtException e) {
      throw e;
    } catch (RuntimeException e) {
      // Defence in depth: a parser bug must still give a counted MALFORMED reject, never crash the
      // handler.
      throw new MgmtException(
          RejectReason.MALFORMED,
          "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage(),
          e);
    }
  }

  private VerifiedRequest verifyChecked(Bytes received) {
    if (received.length() > MgmtRequest.MAX_ENCODED) {
      throw new MgmtException(
          RejectReason.OVERSIZE,
          "request of " + received.length() + " bytes, want at most " + MgmtRequest.MAX_ENCODED);
    }
    CoseSign1 cose = decodeCose(received);
    MgmtRequest req;
    try {
      req = MgmtRequest.decode(cose.payload());
    } catch (CborException e) {
      throw new MgmtException(RejectReason.MALFORMED, e.getMessage(), e);
    }
    X509Certificate cert;
    try {
      cert = Certificates.fromDer(req.signerCert());
    } catch (CertificateException e) {
      throw new MgmtException(
          RejectReason.MALFORMED, "signer certificate does not parse: " + e.getMessage(), e);
    }
    Instant now = clock.instant();
    PublicKey key;
    try {
      key = trust.get().verifyProvisioning(cert, now);
    } catch (TrustException e) {
      throw new MgmtException(reasonOf(e), e.getMessage(), e);
    }
    try {
      cose.verify(key);
    } catch (VerificationException e) {
      throw new MgmtException(RejectReason.BAD_SIGNATURE, e.getMessage(), e);
    }
    if (!req.target().equals(self)) {
      throw new MgmtException(
          RejectReason.WRONG_TARGET, "request targets " + req.target() + ", this is " + self);
    }
    if (!now.isBefore(req.expires())) {
      throw new MgmtException(
          RejectReason.EXPIRED, "request expired at " + req.expires() + ", now " + now);
    }
    if (Duration.between(req.issued(), req.expires()).compareTo(MAX_LIFETIME) > 0) {
      throw new MgmtException(
          RejectReason.EXPIRED,
          "request lifetime "
              + Duration.between(req.issued(), req.expires())
              + ", want at most "
              + MAX_LIFETIME);
    }
    if (req.issued().isAfter(now.plus(SKEW))) {
      throw new MgmtException(
          RejectReason.NOT_YET_VALID, "request issued at " + req.issued() + ", now " + now);
    }
    Kid issuer = Kid.of(key);
    replay.check(issuer, req.version());
    MgmtOp op =
        MgmtOp.fromWire(req.op())
            .orElseThrow(
                () ->
                    new MgmtException(
                        RejectReason.UNSUPPORTED_OP, "unknown op \"" + req.op() + "\""));
    return new VerifiedRequest(req, op, cose.encoded(), issuer, cert);
  }

  private static CoseSign1 decodeCose(Bytes received) {
    CoseSign1Parts parts;
    try {
      parts = CoseSign1Parts.decode(received, MgmtRequest.LIMITS);
    } catch (CborException e) {
      throw notCose(received, e);
    }
    if (parts.signature().isEmpty()) {
      throw new MgmtException(RejectReason.UNSIGNED, "COSE_Sign1 with an empty signature");
    }
    try {
      return CoseSign1.decode(received, MgmtRequest.LIMITS);
    } catch (CborException e) {
      throw new MgmtException(RejectReason.MALFORMED, e.getMessage(), e);
    }
  }

  private static MgmtException notCose(Bytes received, CborException cause) {
    try {
      if (Cbor.decode(received, MgmtRequest.LIMITS) instanceof CborMap) {
        return new MgmtException(
            RejectReason.UNSIGNED, "a bare CBOR map, want a COSE_Sign1", cause);
      }
    } catch (CborException e) {
      return new MgmtException(RejectReason.MALFORMED, e.getMessage(), e);
    }
    return new MgmtException(RejectReason.MALFORMED, cause.getMessage(), cause);
  }

  static RejectReason reasonOf(TrustException e) {
    switch (e.kind()) {
      case REVOKED:
        return RejectReason.REVOKED_KEY;
      case WRONG_PURPOSE:
        return RejectReason.NOT_PROVISIONING_KEY;
      case NOT_YET_VALID:
        return RejectReason.NOT_YET_VALID;
      default:
        return RejectReason.UNTRUSTED_SIGNER;
    }
  }
}
