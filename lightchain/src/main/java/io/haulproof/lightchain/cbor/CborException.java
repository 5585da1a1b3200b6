package io.haulproof.lightchain.cbor;

/**
 * Malformed, non-deterministic or oversized CBOR (RFC 8949), or a CBOR value of the wrong shape for
 * its field.
 *
 * <p>The message names the offending position or field and, where it applies, the expected and
 * actual values.
 */
public class CborException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CborException(String message) {
    super(message);
  }

  public CborException(String message, Throwable cause) {
    super(message, cause);
  }
}
