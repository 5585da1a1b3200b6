package io.haulproof.drivers.remote;

import java.util.Objects;

/**
 * A node reading refused by the verifier; carries the reason and a detail with expected and actual
 * values.
 */
public final class ReadingRejectedException extends Exception {
  private final RejectReason reason;

  public ReadingRejectedException(RejectReason reason, String detail) {
    super(reason.label() + ": " + detail);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public RejectReason reason() {
    return reason;
  }
}
