package io.haulproof.agent.config;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * Identity of the weighing instrument, recorded in every weighed event (WELMEC 7.2 / OIML D 31
 * audit trail).
 *
 * @param approval type-approval number
 * @param serial instrument serial number
 * @param softwareId legally relevant software id, null when not configured (never a placeholder)
 * @param calibrationDate date of the last calibration
 */
public record InstrumentConfig(
    String approval, String serial, String softwareId, String calibrationDate) {
  public InstrumentConfig {
    Check.required("approval", approval);
    Check.required("serial", serial);
    Check.required("calibrationDate", calibrationDate);
    try {
      LocalDate.parse(calibrationDate);
    } catch (DateTimeParseException e) {
      throw new ConfigException(
          "calibrationDate",
          "must be an ISO date like 2026-03-01, got \"" + calibrationDate + "\"");
    }
  }

  public LocalDate calibrationDay() {
    return LocalDate.parse(calibrationDate);
  }
}
