package io.haulproof.drivers.serial;

import java.util.Objects;

/**
 * The state of a {@link SerialByteSource}'s port, as health checks and logs see it.
 *
 * <p>{@link Opening} before the first attempt, {@link Open} while bytes can flow, {@link
 * Reconnecting} while the port is missing or failed and is retried with backoff, {@link Failed}
 * when the reader thread itself died (a liveness failure: nothing retries any more), {@link Closed}
 * after {@link SerialByteSource#close()}.
 */
public sealed interface PortState {
  /** Whether bytes can be delivered now. */
  default boolean open() {
    return this instanceof Open;
  }

  /** A short text for logs and health reasons. */
  String describe();

  /** Not yet tried. */
  record Opening() implements PortState {
    @Override
    public String describe() {
      return "opening";
    }
  }

  /** The port is open. */
  record Open() implements PortState {
    @Override
    public String describe() {
      return "open";
    }
  }

  /**
   * The port could not be opened or was lost; retried after {@code retryMillis}.
   *
   * @param reason why, e.g. "port missing"
   * @param consecutiveFailures failed attempts since the port was last open
   */
  record Reconnecting(String reason, long consecutiveFailures, long retryMillis)
      implements PortState {
    public Reconnecting {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String describe() {
      return "reconnecting: " + reason; // no counts, so the text changes only with the state
    }
  }

  /**
   * The reader thread ended abnormally; the port is not read any more.
   *
   * @param reason the error that ended it
   */
  record Failed(String reason) implements PortState {
    public Failed {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String describe() {
      return "reader thread died: " + reason;
    }
  }

  /** Closed on request. */
  record Closed() implements PortState {
    @Override
    public String describe() {
      return "closed";
    }
  }
}
