package io.haulproof.agent.provision;

/** A certificate or CRL that the pinned fleet root does not vouch for, with the kind of failure. */
public final class TrustException extends RuntimeException {
  /** What went wrong, so callers can map it to a reason code. */
  public enum Kind {
    UNTRUSTED_ISSUER,
    WRONG_PURPOSE,
    REVOKED,
    NOT_YET_VALID,
    WRONG_SUBJECT,
    STALE_CRL
  }

  private final Kind kind;

  public TrustException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
