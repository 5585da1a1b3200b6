package io.haulproof.drivers.gpsd;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.drivers.reading.FixMode;
import io.haulproof.drivers.reading.GpsFix;
import io.haulproof.drivers.reading.MalformedFrameException;
import io.haulproof.drivers.reading.ReadingStatus;
import io.haulproof.drivers.reading.Stamp;
import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Decodes gpsd JSON reports (gpsd_json(5)): TPV into a {@link GpsFix}; SKY's DOPs and satellites
 * used are attached to the TPV of the same time only. Every TPV field is optional in gpsd, and
 * absent fields stay absent.
 */
public final class GpsdJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** DOPs and satellites used from a SKY report. */
  public record Sky(
      Optional<Instant> time,
      OptionalDouble hdop,
      OptionalDouble pdop,
      OptionalDouble vdop,
      OptionalInt satellitesUsed) {}

  private GpsdJson() {}

  /** Parses one line; throws {@link MalformedFrameException} for invalid JSON or a non-object. */
  public static JsonNode parse(String line) {
    String t = line.strip();
    if (t.isEmpty() || t.charAt(0) != '{' || t.charAt(t.length() - 1) != '}') {
      // Refused before the JSON parser: its exceptions cost about 1 KiB each (stack trace and
      // message), and a noisy socket is mostly such lines (found by the long fuzz run).
      throw new MalformedFrameException("json", "want a JSON object");
    }
    try {
      JsonNode n = JSON.readTree(line);
      if (n == null || !n.isObject()) {
        throw new MalformedFrameException("json", "want a JSON object");
      }
      return n;
    } catch (IOException e) {
      throw new MalformedFrameException(
          "json", "unparseable report: " + e.getClass().getSimpleName());
    }
  }

  /**
   * The report's {@code class}; throws {@link MalformedFrameException} ("field") when it is absent
   * or not a string, since every gpsd report names its class.
   */
  public static String reportClass(JsonNode n) {
    JsonNode c = n.get("class");
    if (c == null || !c.isTextual()) {
      throw new MalformedFrameException("field", "class " + c + ", want a string");
    }
    return c.textValue();
  }

  public static Sky sky(JsonNode n) {
    OptionalInt used =
        n.has("uSat") ? OptionalInt.of(intIn(n, "uSat", 0, 999)) : OptionalInt.empty();
    return new Sky(
        time(n), dbl(n, "hdop", 0, 100), dbl(n, "pdop", 0, 100), dbl(n, "vdop", 0, 100), used);
  }

  /** TPV to a fix; {@code sky} is used only if it carries the same time as the TPV. */
  public static GpsFix tpv(JsonNode n, String source, Stamp stamp, Sky sky) {
    int mode = n.has("mode") ? intIn(n, "mode", 0, 3) : 0;
    FixMode fm =
        switch (mode) {
          case 1 -> FixMode.NO_FIX;
          case 2 -> FixMode.FIX_2D;
          case 3 -> FixMode.FIX_3D;
          default -> FixMode.UNKNOWN;
        };
    OptionalDouble lat = dbl(n, "lat", -90, 90);
    OptionalDouble lon = dbl(n, "lon", -180, 180);
    if (lat.isPresent() != lon.isPresent()) {
      throw new MalformedFrameException("field", "TPV with only one of lat/lon");
    }
    Optional<Instant> time = time(n);
    boolean sameEpoch = sky != null && time.isPresent() && sky.time().equals(time);
    OptionalDouble alt =
        n.has("altMSL") ? dbl(n, "altMSL", -10_000, 100_000) : dbl(n, "alt", -10_000, 100_000);
    ReadingStatus status =
        mode >= 2 && lat.isPresent()
            ? ReadingStatus.VALID
            : mode == 1 ? ReadingStatus.INVALID : ReadingStatus.WARNING;
    try {
      return new GpsFix(
          source,
          stamp,
          status,
          time.map(t -> LocalDate.ofInstant(t, ZoneOffset.UTC)),
          time.map(t -> LocalTime.ofInstant(t, ZoneOffset.UTC)),
          lat,
          lon,
          fm,
          OptionalInt.empty(),
          sameEpoch ? sky.satellitesUsed() : OptionalInt.empty(),
          sameEpoch ? sky.hdop() : OptionalDouble.empty(),
          sameEpoch ? sky.pdop() : OptionalDouble.empty(),
          sameEpoch ? sky.vdop() : OptionalDouble.empty(),
          alt,
          dbl(n, "speed", 0, 10_000),
          dbl(n, "track", 0, 360));
    } catch (IllegalArgumentException e) {
      // GpsFix checks its own ranges too: should a range here ever be wider than the record's,
      // the report is refused and counted like any other instead of escaping the reader thread.
      throw new MalformedFrameException("range", e.getMessage());
    }
  }

  private static Optional<Instant> time(JsonNode n) {
    if (!n.has("time")) {
      return Optional.empty();
    }
    JsonNode v = n.get("time");
    try {
      Instant t = Instant.parse(v.asText());
      LocalDateTime.ofInstant(t, ZoneOffset.UTC); // Instant reaches a year past LocalDate's range
      return Optional.of(t);
    } catch (DateTimeException e) { // DateTimeParseException included
      throw new MalformedFrameException("field", "time " + v + " is not an ISO-8601 UTC date");
    }
  }

  private static OptionalDouble dbl(JsonNode n, String f, double min, double max) {
    JsonNode v = n.get(f);
    if (v == null || v.isNull()) {
      return OptionalDouble.empty();
    }
    if (!v.isNumber()
        || !Double.isFinite(v.asDouble())
        || v.asDouble() < min
        || v.asDouble() > max) {
      throw new MalformedFrameException("range", f + " " + v + " outside " + min + ".." + max);
    }
    return OptionalDouble.of(v.asDouble());
  }

  private static int intIn(JsonNode n, String f, int min, int max) {
    JsonNode v = n.get(f);
    // canConvertToInt: asInt() keeps only the low 32 bits, so 4294967299 would read as 3
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < min || v.asInt() > max) {
      throw new MalformedFrameException("range", f + " " + v + " outside " + min + ".." + max);
    }
    return v.asInt();
  }
}
