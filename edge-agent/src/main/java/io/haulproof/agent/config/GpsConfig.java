package io.haulproof.agent.config;

import java.util.List;

/**
 * The GNSS receiver: NMEA over a serial port, or gpsd.
 *
 * @param source {@code nmea} or {@code gpsd}
 * @param port serial port of an NMEA receiver
 * @param gpsd {@code host:port} of gpsd (default {@code 127.0.0.1:2947})
 * @param maxFixAgeMs a fix older than this is stale and flagged in events
 */
public record GpsConfig(String source, PortConfig port, String gpsd, Long maxFixAgeMs) {
  public GpsConfig {
    source = Check.oneOf("source", source, "nmea", List.of("nmea", "gpsd"));
    if (source.equals("nmea") && port == null) {
      throw new ConfigException("port", "is required when source is nmea");
    }
    if (source.equals("gpsd")) {
      gpsd = Check.orDefault(gpsd, "127.0.0.1:2947");
      int colon = gpsd.lastIndexOf(':');
      if (colon <= 0) {
        throw new ConfigException("gpsd", "must be host:port, got \"" + gpsd + "\"");
      }
      try {
        Check.range("gpsd", Integer.parseInt(gpsd.substring(colon + 1)), 0, 1, 65_535);
      } catch (NumberFormatException e) {
        throw new ConfigException(
            "gpsd", "port must be a number, got \"" + gpsd.substring(colon + 1) + "\"");
      }
    }
    maxFixAgeMs = Check.range("maxFixAgeMs", maxFixAgeMs, 5_000, 100, 600_000);
  }
}
