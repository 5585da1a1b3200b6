package io.haulproof.agent.lift;

/** Which lifter of the truck a bin was emptied by (DOMAIN.md section 2, "lifter id"). */
public enum LifterSide {
  LEFT_COMB,
  RIGHT_COMB,
  REAR_COMB,
  FRONT_FORKS,
  /** A depot gateway or a bin node: no lifter. */
  NONE
}
