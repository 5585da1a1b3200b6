package io.haulproof.agent.runtime;

import java.util.Objects;

/**
 * What a sensor's transport says about itself: delivering ({@code UP}), not delivering but retrying
 * ({@code DOWN}: port missing, unplugged; a readiness matter), or its reader loop dead or stuck
 * ({@code DEAD}: a liveness matter).
 *
 * @param detail where and why, e.g. {@code /dev/ttyUSB9@9600 reconnecting: port missing}
 * @param failures failed open attempts and lost ports so far
 */
public record LinkStatus(State state, String detail, long failures) {
  /** The kinds of transport state. */
  public enum State {
    UP,
    DOWN,
    DEAD
  }

  public LinkStatus {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(detail, "detail");
    if (failures < 0) {
      throw new IllegalArgumentException("failures " + failures + " < 0");
    }
  }

  /** A transport that cannot tell (in-memory streams): always up. */
  public static LinkStatus up(String detail) {
    return new LinkStatus(State.UP, detail, 0);
  }
}
