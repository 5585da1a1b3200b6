package io.haulproof.uplink.wire;

/**
 * An uplink message that does not follow the uplink contract; thrown at the boundary, counted,
 * never fatal.
 */
public final class WireFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WireFormatException(String message) {
    super(message);
  }

  public WireFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
