package io.haulproof.drivers.gps;

import io.haulproof.drivers.reading.MalformedFrameException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict decoders for the field kinds of NMEA 0183; each throws {@link MalformedFrameException}
 * naming the field.
 */
final class NmeaFields {
  private static final Pattern TIME = Pattern.compile("(\\d{2})(\\d{2})(\\d{2})(?:\\.(\\d{1,9}))?");
  private static final Pattern DATE = Pattern.compile("(\\d{2})(\\d{2})(\\d{2})");
  private static final Pattern LAT = Pattern.compile("(\\d{2})(\\d{2}(?:\\.\\d*)?)");
  private static final Pattern LON = Pattern.compile("(\\d{3})(\\d{2}(?:\\.\\d*)?)");
  private static final Pattern DECIMAL = Pattern.compile("[-+]?(?:\\d+\\.?\\d*|\\.\\d+)");
  private static final Pattern INTEGER = Pattern.compile("\\d{1,9}");
  private static final BigDecimal SIXTY = BigDecimal.valueOf(60);

  private final String[] f;
  private final String type;

  NmeaFields(String[] fields, String type) {
    this.f = fields;
    this.type = type;
  }

  int size() {
    return f.length;
  }

  String raw(int i) {
    return i < f.length ? f[i] : "";
  }

  boolean empty(int i) {
    return raw(i).isEmpty();
  }

  MalformedFrameException bad(int i, String what) {
    return new MalformedFrameException(
        "field", type + " field " + i + " (" + what + "): got '" + raw(i) + "'");
  }

  static MalformedFrameException range(String what) {
    return new MalformedFrameException("range", what);
  }

  Optional<LocalTime> time(int i) {
    if (empty(i)) {
      return Optional.empty();
    }
    Matcher m = TIME.matcher(raw(i));
    if (!m.matches()) {
      throw bad(i, "time hhmmss.sss");
    }
    int hh = Integer.parseInt(m.group(1));
    int mm = Integer.parseInt(m.group(2));
    int ss = Integer.parseInt(m.group(3));
    if (hh > 23 || mm > 59 || ss > 59) {
      throw range(type + " time " + raw(i) + ": want hh<24, mm<60, ss<60");
    }
    int nanos = 0;
    if (m.group(4) != null) {
      String frac = (m.group(4) + "000000000").substring(0, 9);
      nanos = Integer.parseInt(frac);
    }
    return Optional.of(LocalTime.of(hh, mm, ss, nanos));
  }

  /** ddmmyy; two-digit years 80–99 are 19xx, 00–79 are 20xx. */
  Optional<LocalDate> date(int i) {
    if (empty(i)) {
      return Optional.empty();
    }
    Matcher m = DATE.matcher(raw(i));
    if (!m.matches()) {
      throw bad(i, "date ddmmyy");
    }
    int yy = Integer.parseInt(m.group(3));
    return Optional.of(
        date(
            i,
            Integer.parseInt(m.group(1)),
            Integer.parseInt(m.group(2)),
            yy < 80 ? 2000 + yy : 1900 + yy));
  }

  LocalDate date(int i, int day, int month, int year) {
    try {
      return LocalDate.of(year, month, day);
    } catch (DateTimeException e) {
      throw range(type + " field " + i + ": no such date " + year + "-" + month + "-" + day);
    }
  }

  /** ddmm.mmmm plus hemisphere N/S; both empty means no position. */
  OptionalDouble latitude(int i) {
    return coordinate(i, LAT, 90, 'N', 'S');
  }

  /** dddmm.mmmm plus hemisphere E/W. */
  OptionalDouble longitude(int i) {
    return coordinate(i, LON, 180, 'E', 'W');
  }

  private OptionalDouble coordinate(int i, Pattern p, int maxDeg, char pos, char neg) {
    if (empty(i) && empty(i + 1)) {
      return OptionalDouble.empty();
    }
    Matcher m = p.matcher(raw(i));
    if (!m.matches()) {
      throw bad(i, maxDeg == 90 ? "latitude ddmm.mmmm" : "longitude dddmm.mmmm");
    }
    String hemi = raw(i + 1);
    if (hemi.length() != 1 || (hemi.charAt(0) != pos && hemi.charAt(0) != neg)) {
      throw bad(i + 1, "hemisphere " + pos + "/" + neg);
    }
    int deg = Integer.parseInt(m.group(1));
    BigDecimal minutes = new BigDecimal(m.group(2).endsWith(".") ? m.group(2) + "0" : m.group(2));
    if (minutes.compareTo(SIXTY) >= 0) {
      throw range(type + " field " + i + ": minutes " + minutes.toPlainString() + " >= 60");
    }
    BigDecimal value = BigDecimal.valueOf(deg).add(minutes.divide(SIXTY, MathContext.DECIMAL64));
    if (value.compareTo(BigDecimal.valueOf(maxDeg)) > 0) {
      throw range(type + " field " + i + ": " + value.toPlainString() + " degrees > " + maxDeg);
    }
    double d = value.doubleValue();
    return OptionalDouble.of(hemi.charAt(0) == neg ? -d : d);
  }

  OptionalDouble decimal(int i) {
    if (empty(i)) {
      return OptionalDouble.empty();
    }
    if (!DECIMAL.matcher(raw(i)).matches()) {
      throw bad(i, "decimal number");
    }
    return OptionalDouble.of(Double.parseDouble(raw(i)));
  }

  OptionalDouble nonNegative(int i, double max) {
    OptionalDouble d = decimal(i);
    if (d.isPresent() && (d.getAsDouble() < 0 || d.getAsDouble() > max)) {
      throw range(type + " field " + i + ": " + raw(i) + " outside 0.." + max);
    }
    return d;
  }

  OptionalInt integer(int i) {
    if (empty(i)) {
      return OptionalInt.empty();
    }
    if (!INTEGER.matcher(raw(i)).matches()) {
      throw bad(i, "unsigned integer");
    }
    return OptionalInt.of(Integer.parseInt(raw(i)));
  }

  /** A single character from {@code allowed}, or empty. */
  Optional<Character> flag(int i, String allowed) {
    if (empty(i)) {
      return Optional.empty();
    }
    String s = raw(i);
    if (s.length() != 1 || allowed.indexOf(s.charAt(0)) < 0) {
      throw bad(i, "one of " + allowed);
    }
    return Optional.of(s.charAt(0));
  }

  /**
   * A status or mode letter from {@code allowed}, or empty; a wrong letter is rejected with reason
   * {@code status}.
   */
  Optional<Character> status(int i, String allowed) {
    if (empty(i)) {
      return Optional.empty();
    }
    String s = raw(i);
    if (s.length() != 1 || allowed.indexOf(s.charAt(0)) < 0) {
      throw new MalformedFrameException(
          "status", type + " field " + i + ": got '" + s + "', want one of " + allowed);
    }
    return Optional.of(s.charAt(0));
  }

  /** The unit letter after a value: must be {@code unit} or empty. */
  void unit(int i, char unit) {
    if (!empty(i) && !raw(i).equals(String.valueOf(unit))) {
      throw bad(i, "unit " + unit);
    }
  }
}
