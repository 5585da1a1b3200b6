package io.haulproof.drivers.reading;

import java.util.Objects;

/**
 * The one exception parsers throw for malformed external input; it names a short reason code for
 * metrics and a detail with the expected and actual values.
 *
 * <p>It carries no stack trace: it is a refusal of outside bytes, counted by its reason, never a
 * fault of ours, and a noisy serial line throws one per rejected candidate (up to one per byte
 * while a framer resynchronises). With a stack trace each cost about 1 KiB and a walk of the stack;
 * the fuzz campaign found a Toledo framer allocating 74 KB for 125 hostile bytes that way.
 */
public final class MalformedFrameException extends RuntimeException {
  private final String reason;

  public MalformedFrameException(String reason, String detail) {
    super(reason + ": " + detail, null, false, false);
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
