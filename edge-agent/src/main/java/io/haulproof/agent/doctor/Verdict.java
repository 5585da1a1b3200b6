package io.haulproof.agent.doctor;

/**
 * How one check came out: OK, WARN (works, but look at it) or FAIL (the gateway cannot do its job).
 */
public enum Verdict {
  OK,
  WARN,
  FAIL
}
