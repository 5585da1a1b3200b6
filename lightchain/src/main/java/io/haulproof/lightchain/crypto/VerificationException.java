package io.haulproof.lightchain.crypto;

/**
 * A signature, key or envelope failed verification; the message says why, with expected and actual
 * values where they apply.
 */
public class VerificationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public VerificationException(String message) {
    super(message);
  }

  public VerificationException(String message, Throwable cause) {
    super(message, cause);
  }
}
