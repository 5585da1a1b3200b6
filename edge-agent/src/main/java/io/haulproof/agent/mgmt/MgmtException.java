package io.haulproof.agent.mgmt;

import java.util.Objects;

/** A refused management request: the reason code and a detail naming expected and actual values. */
public final class MgmtException extends RuntimeException {
  private final RejectReason reason;

  public MgmtException(RejectReason reason, String detail) {
    super(detail);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public MgmtException(RejectReason reason, String detail, Throwable cause) {
    super(detail, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public RejectReason reason() {
    return reason;
  }
}
