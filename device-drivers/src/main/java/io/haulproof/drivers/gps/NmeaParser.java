package io.haulproof.drivers.gps;

import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.HexDigits;
import io.haulproof.drivers.reading.MalformedFrameException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Parses one NMEA 0183 sentence (RMC, GGA, VTG, GSA, GLL, ZDA; GSV tolerated) from any talker.
 *
 * <p>All or nothing: a sentence is decoded completely or rejected with a {@link
 * MalformedFrameException}; the parser has no state, so a malformed sentence can never corrupt a
 * later one. Every accept and reject is counted.
 */
public final class NmeaParser {
  private static final double KNOTS_MAX = 10_000;

  private final NmeaOptions options;
  private final DriverMetrics metrics;

  public NmeaParser(NmeaOptions options, DriverMetrics metrics) {
    this.options = Objects.requireNonNull(options, "options");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  public NmeaParser() {
    this(NmeaOptions.strict(), new DriverMetrics("nmea"));
  }

  public DriverMetrics metrics() {
    return metrics;
  }

  /**
   * Decodes one sentence; trailing CR/LF are ignored.
   *
   * @throws MalformedFrameException with reason {@code length}, {@code charset}, {@code start},
   *     {@code checksum}, {@code address}, {@code unsupported}, {@code field} or {@code range}
   */
  public NmeaSentence parse(CharSequence line) {
    try {
      NmeaSentence s = decode(line);
      metrics.accepted();
      return s;
    } catch (MalformedFrameException e) {
      metrics.rejected(e.reason());
      throw e;
    }
  }

  private NmeaSentence decode(CharSequence input) {
    int end = input.length();
    while (end > 0 && (input.charAt(end - 1) == '\r' || input.charAt(end - 1) == '\n')) {
      end--;
    }
    if (end > options.maxLength()) {
      throw new MalformedFrameException(
          "length", "sentence of " + end + " characters, max " + options.maxLength());
    }
    String s = input.subSequence(0, end).toString();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        throw new MalformedFrameException(
            "charset", "character 0x" + HexDigits.lower2(c) + " at " + i);
      }
    }
    if (s.isEmpty() || s.charAt(0) != '$') {
      throw new MalformedFrameException("start", "want '$' at start, got '" + abbreviate(s) + "'");
    }
    int star = s.indexOf('*');
    String body;
    if (star < 0) {
      if (!options.allowMissingChecksum()) {
        throw new MalformedFrameException("checksum", "missing *hh checksum");
      }
      body = s.substring(1);
    } else {
      if (star != s.length() - 3) {
        throw new MalformedFrameException(
            "checksum", "want exactly two hex digits after '*', got '" + s.substring(star) + "'");
      }
      body = s.substring(1, star);
      int want = hex(s.charAt(star + 1)) << 4 | hex(s.charAt(star + 2));
      int got = 0;
      for (int i = 0; i < body.length(); i++) {
        got ^= body.charAt(i);
      }
      if (got != want) {
        throw new MalformedFrameException(
            "checksum",
            "computed " + HexDigits.upper2(got) + ", sentence says " + HexDigits.upper2(want));
      }
    }
    String[] parts = split(body);
    String address = parts[0];
    if (address.startsWith("P")) {
      throw new MalformedFrameException("unsupported", "proprietary sentence " + address);
    }
    if (address.length() != 5 || !upperAlnum(address)) {
      throw new MalformedFrameException(
          "address", "want 2-letter talker + 3-letter type, got '" + abbreviate(address) + "'");
    }
    String talker = address.substring(0, 2);
    String type = address.substring(2);
    NmeaFields f = new NmeaFields(parts, type);
    switch (type) {
      case "RMC":
        return rmc(talker, f);
      case "GGA":
        return gga(talker, f);
      case "VTG":
        return vtg(talker, f);
      case "GSA":
        return gsa(talker, f);
      case "GLL":
        return gll(talker, f);
      case "ZDA":
        return zda(talker, f);
      case "GSV":
        return gsv(talker, f);
      default:
        throw new MalformedFrameException("unsupported", "sentence type " + type);
    }
  }

  private static Rmc rmc(String talker, NmeaFields f) {
    // 12 fields up to NMEA 2.2, 13 with the 2.3 mode indicator, 14 with the 4.1 navigational
    // status.
    fieldCount(f, 12, 14);
    char status = f.status(2, "AV").orElseThrow(() -> f.bad(2, "status A/V"));
    if (f.size() == 12
        && !f.empty(11)
        && "ADFMNPRS".indexOf(f.raw(11).charAt(0)) >= 0
        && f.raw(11).length() == 1) {
      // Some receivers (Motorola Oncore) omit the variation direction: field 11 is then the NMEA
      // 2.3 mode.
      return new Rmc(
          talker,
          f.time(1),
          status == 'A',
          f.latitude(3),
          f.longitude(5),
          f.nonNegative(7, KNOTS_MAX),
          f.nonNegative(8, 360),
          f.date(9),
          OptionalDouble.empty(),
          f.status(11, "ADFMNPRS"),
          Optional.empty());
    }
    return new Rmc(
        talker,
        f.time(1),
        status == 'A',
        f.latitude(3),
        f.longitude(5),
        f.nonNegative(7, KNOTS_MAX),
        f.nonNegative(8, 360),
        f.date(9),
        magneticVariation(f, 10),
        f.status(12, "ADEFMNPRS"),
        f.status(13, "SCUV"));
  }

  /**
   * Values above 180 (receivers send 999.9) are the "not available" sentinel: the variation is then
   * absent.
   */
  private static OptionalDouble magneticVariation(NmeaFields f, int i) {
    OptionalDouble v = f.nonNegative(i, Double.MAX_VALUE);
    if (v.isEmpty() || v.getAsDouble() > 180) {
      f.flag(i + 1, "EW");
      return OptionalDouble.empty();
    }
    char dir = f.flag(i + 1, "EW").orElseThrow(() -> f.bad(i + 1, "variation direction E/W"));
    return OptionalDouble.of(dir == 'W' ? -v.getAsDouble() : v.getAsDouble());
  }

  private static Gga gga(String talker, NmeaFields f) {
    fieldCount(f, 7, 15);
    OptionalInt quality = f.integer(6);
    if (quality.isPresent() && quality.getAsInt() > 8) {
      throw NmeaFields.range("GGA quality '" + f.raw(6) + "', want 0..8");
    }
    OptionalInt sats = f.integer(7);
    if (sats.isPresent() && sats.getAsInt() > 99) {
      throw NmeaFields.range("GGA satellites used " + sats.getAsInt() + " > 99");
    }
    f.unit(10, 'M');
    f.unit(12, 'M');
    return new Gga(
        talker,
        f.time(1),
        f.latitude(2),
        f.longitude(4),
        quality,
        sats,
        f.nonNegative(8, 100),
        f.decimal(9),
        f.decimal(11));
  }

  private static Vtg vtg(String talker, NmeaFields f) {
    if (f.size() == 5) { // NMEA 1.5: course true, course magnetic, knots, km/h without unit letters
      return new Vtg(
          talker,
          f.nonNegative(1, 360),
          f.nonNegative(2, 360),
          f.nonNegative(3, KNOTS_MAX),
          f.nonNegative(4, KNOTS_MAX * 2),
          java.util.Optional.empty());
    }
    fieldCount(f, 9, 10);
    f.unit(2, 'T');
    f.unit(4, 'M');
    f.unit(6, 'N');
    f.unit(8, 'K');
    return new Vtg(
        talker,
        f.nonNegative(1, 360),
        f.nonNegative(3, 360),
        f.nonNegative(5, KNOTS_MAX),
        f.nonNegative(7, KNOTS_MAX * 2),
        f.status(9, "ADEFMNPRS"));
  }

  private static Gsa gsa(String talker, NmeaFields f) {
    // Standard: 12 satellite slots then PDOP, HDOP, VDOP (18 fields with the address), plus the
    // NMEA 4.1 system id
    // (19). Some receivers send more slots (the DOPs are then the last three fields), or cut a
    // no-fix GSA short.
    if (f.size() < 3) {
      throw new MalformedFrameException(
          "field", "GSA has " + (f.size() - 1) + " fields, want at least 2");
    }
    OptionalInt fixType = f.integer(2);
    if (fixType.isEmpty() || fixType.getAsInt() < 1 || fixType.getAsInt() > 3) {
      throw NmeaFields.range("GSA fix type '" + f.raw(2) + "', want 1..3");
    }
    int dops;
    if (f.size() == 19) {
      f.integer(18);
      dops = 15;
    } else if (f.size() >= 18) {
      dops = f.size() - 3;
    } else {
      for (int i = 3; i < f.size(); i++) {
        if (!f.empty(i)) {
          throw new MalformedFrameException(
              "field",
              "GSA cut short to " + (f.size() - 1) + " fields but not empty after the fix type");
        }
      }
      return new Gsa(
          talker,
          f.flag(1, "MA"),
          fixType.getAsInt(),
          List.of(),
          OptionalDouble.empty(),
          OptionalDouble.empty(),
          OptionalDouble.empty());
    }
    List<Integer> sats = new ArrayList<>();
    for (int i = 3; i < dops; i++) {
      f.integer(i).ifPresent(sats::add);
    }
    return new Gsa(
        talker,
        f.flag(1, "MA"),
        fixType.getAsInt(),
        sats,
        f.nonNegative(dops, 100),
        f.nonNegative(dops + 1, 100),
        f.nonNegative(dops + 2, 100));
  }

  private static Gll gll(String talker, NmeaFields f) {
    fieldCount(f, 5, 8);
    return new Gll(
        talker,
        f.latitude(1),
        f.longitude(3),
        f.time(5),
        f.status(6, "AV").map(c -> c == 'A'),
        f.status(7, "ADEFMNPRS"));
  }

  private static Zda zda(String talker, NmeaFields f) {
    fieldCount(f, 5, 7);
    java.util.Optional<java.time.LocalDate> date = java.util.Optional.empty();
    if (!f.empty(2) || !f.empty(3) || !f.empty(4)) {
      OptionalInt d = f.integer(2);
      OptionalInt m = f.integer(3);
      OptionalInt y = f.integer(4);
      if (d.isEmpty() || m.isEmpty() || y.isEmpty() || f.raw(4).length() != 4) {
        throw f.bad(4, "day, month and 4-digit year");
      }
      date = java.util.Optional.of(f.date(2, d.getAsInt(), m.getAsInt(), y.getAsInt()));
    }
    return new Zda(talker, f.time(1), date);
  }

  private static Gsv gsv(String talker, NmeaFields f) {
    if (f.size() < 4) {
      throw new MalformedFrameException(
          "field", "GSV with " + f.size() + " fields, want at least 4");
    }
    return new Gsv(talker, f.integer(1), f.integer(2), f.integer(3));
  }

  private static void fieldCount(NmeaFields f, int min, int max) {
    if (f.size() < min || f.size() > max) {
      throw new MalformedFrameException(
          "field",
          f.raw(0).substring(2)
              + " has "
              + (f.size() - 1)
              + " fields, want "
              + (min - 1)
              + ".."
              + (max - 1));
    }
  }

  private static String[] split(String body) {
    return body.split(",", -1);
  }

  private static boolean upperAlnum(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
        return false;
      }
    }
    return true;
  }

  private static int hex(char c) {
    int v = Character.digit(c, 16);
    if (v < 0) {
      throw new MalformedFrameException("checksum", "non-hex checksum digit '" + c + "'");
    }
    return v;
  }

  private static String abbreviate(String s) {
    return s.length() <= 16 ? s : s.substring(0, 16) + "…";
  }
}
