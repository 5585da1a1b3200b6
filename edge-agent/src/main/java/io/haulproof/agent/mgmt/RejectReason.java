package io.haulproof.agent.mgmt;

/**
 * Why a management request was refused; the name is the reason code sent in {@code mgmt/res}
 * (DESIGN.md, "Provisioning and management") and the label of the rejection counter.
 */
public enum RejectReason {
  /** Larger than {@link MgmtRequest#MAX_ENCODED} bytes; not even decoded. */
  OVERSIZE,
  /** Not well-formed CBOR, COSE_Sign1 or request structure. */
  MALFORMED,
  /** Well-formed CBOR that is not a COSE_Sign1 (for example a bare request map). */
  UNSIGNED,
  /** The COSE signature does not verify with the key of the certificate carried in the request. */
  BAD_SIGNATURE,
  /** The signer's certificate is not issued by the pinned fleet root. */
  UNTRUSTED_SIGNER,
  /** The signer's certificate is not a provisioning-key certificate. */
  NOT_PROVISIONING_KEY,
  /** The signer's certificate is on the cached CRL. */
  REVOKED_KEY,
  /** The request names another fleet or device. */
  WRONG_TARGET,
  /** The request's expiry has passed, or its lifetime is longer than allowed. */
  EXPIRED,
  /** The request was issued in the future beyond the tolerated clock skew. */
  NOT_YET_VALID,
  /** The version is not higher than the highest accepted from this signer. */
  REPLAYED,
  /** The operation is not one the agent knows. */
  UNSUPPORTED_OP,
  /** The operation's parameters are missing or invalid; nothing was changed. */
  BAD_PARAMS,
  /** The change could not be applied and was rolled back; the running state is unchanged. */
  APPLY_FAILED,
  /** The device has no certificate yet, so it takes no management requests. */
  NOT_ENROLLED
}
