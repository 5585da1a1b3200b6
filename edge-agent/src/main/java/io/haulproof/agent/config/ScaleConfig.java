package io.haulproof.agent.config;

import java.util.List;

/**
 * The bin scale: its indicator protocol, port and metrological limits (OIML R 51 / MID MI-006).
 *
 * @param protocol {@code toledo}, {@code mt-sics} or {@code modbus} (an indicator on a serial
 *     port), or {@code nau7802} or {@code hx711} (a load-cell ADC on the gateway, see {@code adc})
 * @param port where the indicator is attached (indicator protocols only)
 * @param unit {@code kg} or {@code lb}
 * @param interval scale interval e
 * @param min minimum load (below it a weight is flagged and not billable by weight)
 * @param max maximum capacity
 * @param stableWindowMs window over which a weight must stay within {@code stableSpreadIntervals}·e
 * @param stableSpreadIntervals k in "spread under k·e"
 * @param modbus register map, required when protocol is {@code modbus}
 * @param instrument identity of the weighing instrument
 * @param adc the ADC's wiring and initial calibration, required for {@code nau7802} and {@code
 *     hx711}
 * @param name the scale's name in {@code calibrate} requests ({@code scale=<name>}, default {@code
 *     scale})
 */
public record ScaleConfig(
    String protocol,
    PortConfig port,
    String unit,
    Double interval,
    Double min,
    Double max,
    Long stableWindowMs,
    Integer stableSpreadIntervals,
    ModbusConfig modbus,
    InstrumentConfig instrument,
    AdcConfig adc,
    String name) {
  public static final List<String> PROTOCOLS =
      List.of("toledo", "mt-sics", "modbus", "nau7802", "hx711");

  public ScaleConfig {
    protocol = Check.oneOf("protocol", protocol, null, PROTOCOLS);
    name = name == null ? "scale" : Check.id("name", name);
    if (isAdc(protocol)) {
      Check.required("adc", adc);
      if (port != null) {
        throw new ConfigException("port", "is not used by protocol " + protocol + " (see adc)");
      }
      if (protocol.equals("hx711") && (adc.dataPin() == null || adc.clockPin() == null)) {
        throw new ConfigException("adc", "dataPin and clockPin are required for hx711");
      }
    } else {
      Check.required("port", port);
      if (adc != null) {
        throw new ConfigException("adc", "is only allowed for protocols nau7802 and hx711");
      }
    }
    unit = Check.oneOf("unit", unit, "kg", List.of("kg", "lb"));
    Check.range("interval", interval, 0.0001, 1000);
    Check.range("max", max, 0.001, 1_000_000);
    if (min == null) {
      throw new ConfigException("min", "is required (20e for class Y(a), 10e for Y(b))");
    }
    if (!(min >= interval && min < max)) {
      throw new ConfigException(
          "min",
          "must be at least interval " + interval + " and below max " + max + ", got " + min);
    }
    if (max / interval > 100_000) {
      throw new ConfigException(
          "max", "gives " + Math.round(max / interval) + " intervals, more than 100000");
    }
    stableWindowMs = Check.range("stableWindowMs", stableWindowMs, 600, 50, 10_000);
    stableSpreadIntervals = Check.range("stableSpreadIntervals", stableSpreadIntervals, 1, 0, 20);
    if (protocol.equals("modbus") && modbus == null) {
      throw new ConfigException("modbus", "is required when protocol is modbus");
    }
    if (!protocol.equals("modbus") && modbus != null) {
      throw new ConfigException(
          "modbus", "is only allowed when protocol is modbus, got protocol " + protocol);
    }
    Check.required("instrument", instrument);
  }

  /** True for a load-cell ADC on the gateway. */
  public boolean isAdc() {
    return isAdc(protocol);
  }

  private static boolean isAdc(String protocol) {
    return protocol.equals("nau7802") || protocol.equals("hx711");
  }
}
