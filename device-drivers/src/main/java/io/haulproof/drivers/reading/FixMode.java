package io.haulproof.drivers.reading;

/** GNSS fix dimension as reported by GSA (1/2/3) or gpsd TPV {@code mode} (0–3). */
public enum FixMode {
  /** The receiver did not say. */
  UNKNOWN,
  NO_FIX,
  FIX_2D,
  FIX_3D
}
