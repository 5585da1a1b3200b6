package io.haulproof.drivers.pi4j;

/**
 * The ADC did not signal a ready conversion in time (powered down, unwired, or clock held high).
 */
public final class AdcTimeoutException extends Exception {
  public AdcTimeoutException(String message) {
    super(message);
  }
}
