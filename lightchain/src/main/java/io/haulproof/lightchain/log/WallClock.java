package io.haulproof.lightchain.log;

import io.haulproof.lightchain.entry.TimeSource;

/**
 * Where entry wall times come from, with their source and quality (DESIGN.md, "Replay and
 * ordering").
 */
public interface WallClock {
  /** A wall time reading. */
  record Reading(long millis, TimeSource source, int uncertaintyMs) {
    public Reading {
      if (uncertaintyMs < 0) {
        throw new IllegalArgumentException("negative uncertainty " + uncertaintyMs);
      }
    }
  }

  Reading now();

  /**
   * The host clock with source UNKNOWN and an assumed 60 s uncertainty: the agent replaces it with
   * a GNSS- or NTP-disciplined clock once it knows better.
   */
  static WallClock system() {
    return () -> new Reading(System.currentTimeMillis(), TimeSource.UNKNOWN, 60_000);
  }
}
