package io.haulproof.agent.lift;

/**
 * Explicit marks on an event whose inputs were missing, late or doubtful; nothing is silently
 * defaulted.
 */
public enum QualityFlag {
  /** No tag was read for this lift; the container is unknown. */
  NO_TAG,
  /** The tag was read after the lift cycle, within the grace period. */
  TAG_LATE,
  /** The container id was entered by the crew, not read. */
  MANUAL_ID,
  /** The tag was read but no lift cycle completed in time; no weight. */
  NO_WEIGHT,
  /** No scale is fitted; no weight by design. */
  NOT_WEIGHED,
  WEIGHT_UNSTABLE,
  BELOW_MIN,
  OVER_MAX,
  TILT,
  /** No GNSS fix has ever been received. */
  NO_FIX,
  /** The latest fix is invalid (receiver reports no fix). */
  FIX_INVALID,
  /** The latest fix is older than the configured maximum age. */
  FIX_STALE,
  /** The wall clock stepped against the monotonic clock since the previous event. */
  CLOCK_JUMP
}
