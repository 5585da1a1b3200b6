package io.haulproof.ledger.audit;

/** A dispute bundle file that is not well-formed: not JSON, a missing field, a wrong type. */
public final class BundleFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BundleFormatException(String message) {
    super(message);
  }

  public BundleFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
