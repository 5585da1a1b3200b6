package io.haulproof.agent.config;

import java.util.List;

/**
 * The bin scale: its indicator protocol, port and metrological limits (OIML R 51 / MID MI-006).
 *
 * @param protocol {@code toledo}, {@code mt-sics} or {@code modbus}
 * @param port where the indicator is attached
 * @param unit {@code kg} or {@code lb}
 * @param interval scale interval e
 * @param min minimum load (below it a weight is flagged and not billable by weight)
 * @param max maximum capacity
 * @param stableWindowMs window over which a weight must stay within {@code stableSpreadIntervals}·e
 * @param stableSpreadIntervals k in "spread under k·e"
 * @param modbus register map, required when protocol is {@code modbus}
 * @param instrument identity of the weighing instrument
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
    InstrumentConfig instrument) {
  public static final List<String> PROTOCOLS = List.of("toledo", "mt-sics", "modbus");

  public ScaleConfig {
    protocol = Check.oneOf("protocol", protocol, null, PROTOCOLS);
    Check.required("port", port);
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
}
