package io.haulproof.agent.lift;

import java.util.Objects;

/**
 * Identity of the weighing instrument (WELMEC 7.2 / OIML D 31 audit trail).
 *
 * @param approval type-approval number
 * @param serial serial number
 * @param softwareId legally relevant software id, null when not configured
 * @param calibrationDate ISO date of the last calibration
 */
public record Instrument(
    String approval, String serial, String softwareId, String calibrationDate) {
  public Instrument {
    Objects.requireNonNull(approval, "approval");
    Objects.requireNonNull(serial, "serial");
    Objects.requireNonNull(calibrationDate, "calibrationDate");
  }
}
