package io.haulproof.drivers.reading;

import java.util.Objects;

/**
 * The one exception parsers throw for malformed external input; it names a short reason code for
 * metrics and a detail with the expected and actual values.
 */
public final class MalformedFrameException extends RuntimeException {
  private final String reason;

  public MalformedFrameException(String reason, String detail) {
    super(reason + ": " + detail);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * A short, stable reason code such as {@code checksum}, {@code length}, {@code field}, {@code
   * range}.
   */
  public String reason() {
    return reason;
  }
}
