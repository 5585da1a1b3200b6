package io.haulproof.drivers.gps;

import io.haulproof.drivers.reading.FixMode;
import io.haulproof.drivers.reading.GpsFix;
import io.haulproof.drivers.reading.ReadingStatus;
import io.haulproof.drivers.reading.Stamp;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Combines the RMC, GGA and GSA (and VTG) sentences of one epoch into one {@link GpsFix}.
 *
 * <p>An epoch is identified by its UTC time. A fix is emitted when a sentence with a different time
 * arrives, or on {@link #flush()}. GSA and VTG carry no time and attach to the current epoch. Only
 * successfully parsed sentences reach the assembler, so a malformed sentence never changes its
 * state. Positions come from the last valid RMC or GGA of the epoch; nothing is carried over from
 * an earlier epoch.
 */
public final class GpsFixAssembler {
  private static final double KNOT_MPS = 1852.0 / 3600.0;

  private final String source;
  private Epoch epoch;

  public GpsFixAssembler(String source) {
    this.source = Objects.requireNonNull(source, "source");
  }

  /**
   * Adds a sentence received at {@code stamp}; returns the previous epoch's fix if this sentence
   * closed it.
   */
  public Optional<GpsFix> accept(NmeaSentence s, Stamp stamp) {
    Optional<LocalTime> t = s.utc();
    Optional<GpsFix> out = Optional.empty();
    if (t.isPresent() && epoch != null && epoch.time != null && !epoch.time.equals(t.get())) {
      out = flush();
    }
    if (epoch == null) {
      epoch = new Epoch(stamp);
    }
    if (t.isPresent() && epoch.time == null) {
      epoch.time = t.get();
    }
    epoch.add(s);
    return out;
  }

  /** Emits the current epoch, if it has anything to say. */
  public Optional<GpsFix> flush() {
    Epoch e = epoch;
    epoch = null;
    if (e == null || !e.meaningful) {
      return Optional.empty();
    }
    return Optional.of(e.toFix(source));
  }

  private static final class Epoch {
    final Stamp stamp;
    LocalTime time;
    LocalDate date;
    boolean meaningful;
    Boolean rmcValid;
    Integer quality;
    OptionalDouble lat = OptionalDouble.empty();
    OptionalDouble lon = OptionalDouble.empty();
    int fixType;
    OptionalInt sats = OptionalInt.empty();
    OptionalDouble hdop = OptionalDouble.empty();
    OptionalDouble pdop = OptionalDouble.empty();
    OptionalDouble vdop = OptionalDouble.empty();
    OptionalDouble alt = OptionalDouble.empty();
    OptionalDouble speed = OptionalDouble.empty();
    OptionalDouble course = OptionalDouble.empty();

    Epoch(Stamp stamp) {
      this.stamp = stamp;
    }

    void add(NmeaSentence s) {
      if (s instanceof Rmc r) {
        meaningful = true;
        rmcValid = r.valid() && r.mode().map(m -> m != 'N').orElse(true);
        r.date().ifPresent(d -> date = d);
        if (r.lat().isPresent()) {
          lat = r.lat();
          lon = r.lon();
        }
        if (r.speedKnots().isPresent()) {
          speed = OptionalDouble.of(r.speedKnots().getAsDouble() * KNOT_MPS);
        }
        if (r.courseDeg().isPresent()) {
          course = r.courseDeg();
        }
      } else if (s instanceof Gga g) {
        meaningful = true;
        if (g.quality().isPresent()) {
          quality = g.quality().getAsInt();
        }
        if (g.lat().isPresent()) {
          lat = g.lat();
          lon = g.lon();
        }
        sats = g.satellitesUsed();
        if (g.hdop().isPresent()) {
          hdop = g.hdop();
        }
        alt = g.altitudeM();
      } else if (s instanceof Gsa a) {
        fixType = a.fixType();
        pdop = a.pdop();
        vdop = a.vdop();
        if (a.hdop().isPresent()) {
          hdop = a.hdop();
        }
        if (sats.isEmpty() && !a.satellites().isEmpty()) {
          sats = OptionalInt.of(a.satellites().size());
        }
      } else if (s instanceof Vtg v) {
        if (speed.isEmpty() && v.speedKnots().isPresent()) {
          speed = OptionalDouble.of(v.speedKnots().getAsDouble() * KNOT_MPS);
        }
        if (course.isEmpty()) {
          course = v.courseTrueDeg();
        }
      } else if (s instanceof Gll l) {
        meaningful = true;
        if (lat.isEmpty() && l.lat().isPresent() && l.fix().orElse(false)) {
          lat = l.lat();
          lon = l.lon();
        }
      } else if (s instanceof Zda z) {
        z.date().ifPresent(d -> date = d);
      }
    }

    GpsFix toFix(String source) {
      boolean valid =
          (rmcValid == null || rmcValid)
              && (quality == null || quality > 0)
              && fixType != 1
              && lat.isPresent();
      boolean noFix =
          Boolean.FALSE.equals(rmcValid) || (quality != null && quality == 0) || fixType == 1;
      ReadingStatus status =
          valid ? ReadingStatus.VALID : noFix ? ReadingStatus.INVALID : ReadingStatus.WARNING;
      FixMode mode =
          switch (fixType) {
            case 1 -> FixMode.NO_FIX;
            case 2 -> FixMode.FIX_2D;
            case 3 -> FixMode.FIX_3D;
            default -> FixMode.UNKNOWN;
          };
      return new GpsFix(
          source,
          stamp,
          status,
          Optional.ofNullable(date),
          Optional.ofNullable(time),
          lat,
          lon,
          mode,
          quality == null ? OptionalInt.empty() : OptionalInt.of(quality),
          sats,
          hdop,
          pdop,
          vdop,
          alt,
          speed,
          course);
    }
  }
}
