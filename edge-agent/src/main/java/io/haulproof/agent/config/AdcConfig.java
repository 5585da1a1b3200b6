package io.haulproof.agent.config;

/**
 * A load-cell ADC wired to the gateway (the gateway is the indicator; firmware-notes/
 * calibration.md): NAU7802 on I²C or HX711 on two GPIO pins, through Pi4J.
 *
 * @param bus NAU7802: I²C bus number (default 1)
 * @param address NAU7802: I²C address (default 42 = 0x2A)
 * @param dataPin HX711: BCM number of the DOUT pin
 * @param clockPin HX711: BCM number of the PD_SCK pin
 * @param zero the zero offset in raw counts until a signed {@code calibrate} request sets another
 * @param span counts per unit ({@code (ref_raw - zero) / reference mass}) until a {@code calibrate}
 *     request sets another
 * @param sampleMs time between conversions (default 100)
 * @param maxJump HX711: largest change between two conversions accepted without a confirming one
 *     (default 8388607: off)
 */
public record AdcConfig(
    Integer bus,
    Integer address,
    Integer dataPin,
    Integer clockPin,
    Long zero,
    Double span,
    Integer sampleMs,
    Integer maxJump) {
  public AdcConfig {
    bus = Check.range("bus", bus, 1, 0, 31);
    address = Check.range("address", address, 0x2A, 1, 127);
    zero = Check.range("zero", zero, 0, -(1L << 23), 1L << 23);
    Check.required("span", span);
    if (span == 0 || span.isNaN() || span.isInfinite()) {
      throw new ConfigException(
          "span", "must be a non-zero number of counts per unit, got " + span);
    }
    sampleMs = Check.range("sampleMs", sampleMs, 100, 10, 10_000);
    maxJump = Check.range("maxJump", maxJump, (1 << 23) - 1, 1, (1 << 23) - 1);
  }
}
