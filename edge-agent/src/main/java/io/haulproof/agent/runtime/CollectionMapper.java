package io.haulproof.agent.runtime;

import io.haulproof.agent.lift.CollectionEvent;
import io.haulproof.agent.lift.QualityFlag;
import io.haulproof.agent.lift.TimeQuality;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.entry.CollectionBody;
import io.haulproof.lightchain.entry.ContainerRead;
import io.haulproof.lightchain.entry.ExceptionCode;
import io.haulproof.lightchain.entry.FixMode;
import io.haulproof.lightchain.entry.Instrument;
import io.haulproof.lightchain.entry.Lifter;
import io.haulproof.lightchain.entry.Operation;
import io.haulproof.lightchain.entry.Outcome;
import io.haulproof.lightchain.entry.Position;
import io.haulproof.lightchain.entry.Service;
import io.haulproof.lightchain.entry.TagTechnology;
import io.haulproof.lightchain.entry.Weighing;
import io.haulproof.lightchain.entry.WeightUnit;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an assembled {@link CollectionEvent} into lightchain's signed {@link CollectionBody}
 * (docs/formats.md).
 *
 * <p>Flags the format has no bit for are carried by other fields: below-Min, over-Max and tilt by
 * the weighing's own flags, a crew-entered id by technology {@code OTHER}, an invalid fix by {@code
 * POSITION_STALE}, a clock step by {@code TIME_UNSYNCED}. A weighing without both a stable gross
 * and tare is not written as numbers: it becomes {@code WEIGHT_MISSING} plus {@code
 * WEIGHT_UNSTABLE}. A weighing whose instrument is not known carries no instrument field and the
 * flag {@code INSTRUMENT_UNKNOWN}, never a placeholder serial.
 */
public final class CollectionMapper {
  private static final Pattern ISO_ID = Pattern.compile("(\\d{3})-(\\d{1,12})");
  private static final Pattern HEX = Pattern.compile("([0-9a-fA-F]{2})+");

  private CollectionMapper() {}

  public static CollectionBody toBody(CollectionEvent e) {
    Set<io.haulproof.lightchain.entry.QualityFlag> q =
        EnumSet.noneOf(io.haulproof.lightchain.entry.QualityFlag.class);
    for (QualityFlag f : e.flags()) {
      entryFlag(f).ifPresent(q::add);
    }
    if (e.time().quality() == TimeQuality.UNSYNCED) {
      q.add(io.haulproof.lightchain.entry.QualityFlag.TIME_UNSYNCED);
    }
    Optional<Weighing> weighing = Optional.empty();
    Optional<Instrument> instrument = Optional.empty();
    if (e.weighing() != null) {
      if (e.weighing().gross() != null && e.weighing().tare() != null) {
        weighing = Optional.of(weighing(e.weighing()));
        Long counter = e.weighing().eventCounter();
        if (e.instrument() == null || e.instrument().serial().isEmpty()) {
          q.add(io.haulproof.lightchain.entry.QualityFlag.INSTRUMENT_UNKNOWN);
        } else {
          instrument =
              Optional.of(
                  new Instrument(
                      e.instrument().serial(),
                      counter == null ? OptionalLong.empty() : OptionalLong.of(counter)));
        }
      } else {
        q.add(io.haulproof.lightchain.entry.QualityFlag.WEIGHT_MISSING);
        q.add(io.haulproof.lightchain.entry.QualityFlag.WEIGHT_UNSTABLE);
      }
    }
    Outcome outcome = e.outcome().entryOutcome();
    Optional<ExceptionCode> exception = e.outcome().exceptionCode();
    return new CollectionBody(
        Optional.ofNullable(e.container()).map(CollectionMapper::container),
        Optional.ofNullable(e.position()).map(CollectionMapper::position),
        new Operation(
            e.vehicleId(),
            lifter(e),
            Optional.ofNullable(e.tourId()),
            Optional.ofNullable(e.crewId())),
        e.fraction() == null
            ? Optional.empty()
            : Optional.of(new Service(e.fraction(), e.volumeLitres())),
        weighing,
        instrument,
        outcome,
        exception,
        Optional.empty(),
        q);
  }

  /**
   * The format's flag for a lift flag, or empty for one carried by other fields (class comment). A
   * switch expression, so a new lift flag fails compilation here until it is mapped.
   */
  static Optional<io.haulproof.lightchain.entry.QualityFlag> entryFlag(QualityFlag f) {
    return Optional.ofNullable(
        switch (f) {
          case NO_TAG -> io.haulproof.lightchain.entry.QualityFlag.RFID_MISSING;
          case TAG_LATE -> io.haulproof.lightchain.entry.QualityFlag.RFID_LATE;
          case NO_WEIGHT -> io.haulproof.lightchain.entry.QualityFlag.WEIGHT_MISSING;
          case WEIGHT_UNSTABLE -> io.haulproof.lightchain.entry.QualityFlag.WEIGHT_UNSTABLE;
          case NO_FIX -> io.haulproof.lightchain.entry.QualityFlag.POSITION_MISSING;
          case FIX_STALE, FIX_INVALID -> io.haulproof.lightchain.entry.QualityFlag.POSITION_STALE;
          case CLOCK_JUMP -> io.haulproof.lightchain.entry.QualityFlag.TIME_UNSYNCED;
          case MANUAL_ID, NOT_WEIGHED, BELOW_MIN, OVER_MAX, TILT -> null;
        });
  }

  private static ContainerRead container(io.haulproof.agent.lift.Container c) {
    Bytes raw =
        HEX.matcher(c.rawHex()).matches()
                && c.technology() != io.haulproof.agent.lift.TagTechnology.MANUAL
            ? Bytes.fromHex(c.rawHex())
            : Bytes.wrap(c.rawHex().getBytes(StandardCharsets.UTF_8));
    if (raw.length() > 64) {
      raw = raw.slice(0, 64);
    }
    Matcher m = ISO_ID.matcher(c.id());
    OptionalInt code = OptionalInt.empty();
    OptionalLong serial = OptionalLong.empty();
    if (m.matches() && Integer.parseInt(m.group(1)) <= 1023) {
      code = OptionalInt.of(Integer.parseInt(m.group(1)));
      serial = OptionalLong.of(Long.parseLong(m.group(2)));
    }
    TagTechnology tech =
        switch (c.technology()) {
          case FDX_B -> TagTechnology.FDX_B;
          case HDX -> TagTechnology.HDX;
          case UHF_EPC -> TagTechnology.UHF_EPC;
          case MANUAL -> TagTechnology.OTHER;
        };
    return new ContainerRead(
        raw,
        tech,
        code,
        serial,
        c.readCount(),
        c.rssi() == null ? OptionalInt.empty() : OptionalInt.of(c.rssi()),
        OptionalInt.empty());
  }

  private static Position position(io.haulproof.agent.lift.Position p) {
    // The format has no "not reported" mode: a receiver that did not say is recorded as NO_FIX,
    // as before (the position itself is from a fix the receiver called valid).
    FixMode mode = p.fixMode() == null ? FixMode.NO_FIX : p.fixMode();
    // HDOP 0 is impossible for a real fix; it stands for "not reported".
    int hdop = p.hdop() == null ? 0 : (int) Math.round(p.hdop() * 100);
    return new Position(
        (int) Math.round(p.lat() * 1e7),
        (int) Math.round(p.lon() * 1e7),
        hdop,
        mode,
        Math.max(0, p.satellites()));
  }

  private static Lifter lifter(CollectionEvent e) {
    return switch (e.side()) {
      case LEFT_COMB -> Lifter.LEFT;
      case RIGHT_COMB -> Lifter.RIGHT;
      case REAR_COMB -> Lifter.REAR_COMB;
      case FRONT_FORKS -> Lifter.FRONT_FORKS;
      case NONE -> Lifter.OTHER;
    };
  }

  private static Weighing weighing(io.haulproof.agent.lift.Weighing w) {
    int decimals =
        Math.max(
            0,
            Math.max(
                Math.max(w.gross().scale(), w.tare().scale()),
                Math.max(
                    w.interval().stripTrailingZeros().scale(),
                    Math.max(
                        w.min().stripTrailingZeros().scale(),
                        w.max().stripTrailingZeros().scale()))));
    return new Weighing(
        w.unit().equals("lb") ? WeightUnit.LB : WeightUnit.KG,
        decimals,
        scaled(w.gross(), decimals),
        scaled(w.tare(), decimals),
        scaled(w.interval(), decimals),
        scaled(w.min(), decimals),
        scaled(w.max(), decimals),
        w.stable(),
        w.belowMin(),
        w.overMax(),
        w.tilt());
  }

  private static long scaled(BigDecimal v, int decimals) {
    return v.setScale(decimals).unscaledValue().longValueExact();
  }
}
