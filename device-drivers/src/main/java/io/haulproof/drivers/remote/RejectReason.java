package io.haulproof.drivers.remote;

/**
 * Why a node's reading was refused, with the CoAP response code a receiver answers (RFC 7252 §5.9).
 */
public enum RejectReason {
  /** Larger than {@link NodePayload#MAX_MESSAGE}: 4.13 Request Entity Too Large. */
  OVERSIZE(4, 13),
  /** Not a COSE_Sign1 in our profile, or the payload is malformed: 4.00 Bad Request. */
  MALFORMED(4, 0),
  /** The kid names no registered node key: 4.01 Unauthorized. */
  UNKNOWN_NODE(4, 1),
  /** The signature does not verify against the registered key: 4.01 Unauthorized. */
  BAD_SIGNATURE(4, 1),
  /**
   * The payload names another node than the key's owner, or arrived on another node's topic: 4.03
   * Forbidden.
   */
  NODE_MISMATCH(4, 3),
  /** The counter is not greater than the last accepted one: 4.03 Forbidden. */
  REPLAY(4, 3);

  private final int coapClass;
  private final int coapDetail;

  RejectReason(int coapClass, int coapDetail) {
    this.coapClass = coapClass;
    this.coapDetail = coapDetail;
  }

  /** The CoAP code as {@code class * 32 + detail} (e.g. 4.13 = 141). */
  public int coapCode() {
    return coapClass * 32 + coapDetail;
  }

  /** The metrics label, e.g. {@code bad-signature}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
