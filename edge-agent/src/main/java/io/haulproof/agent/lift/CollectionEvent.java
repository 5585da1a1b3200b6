package io.haulproof.agent.lift;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * One collection event as assembled at a bin, before the log adds device id, boot epoch, sequence
 * and signature (DOMAIN.md section 2). Absent parts are null and always accompanied by a {@link
 * QualityFlag} saying why.
 *
 * @param eventId random id of the event
 * @param vehicleId vehicle
 * @param lifterId lifter that read the tag, null when no tag was read
 * @param side lifter side, {@link LifterSide#NONE} when unknown
 * @param tourId route or tour, null when not configured
 * @param crewId crew, null when not configured
 * @param container the container as identified, null with {@link QualityFlag#NO_TAG}
 * @param fraction waste fraction from the allow-list, null when the bin is not registered
 * @param volumeLitres container volume from the allow-list, 0 when the bin is not registered
 * @param time moment of collection with source and quality
 * @param position position, null with {@link QualityFlag#NO_FIX}
 * @param weighing the lift cycle, null with {@link QualityFlag#NO_WEIGHT} or {@link
 *     QualityFlag#NOT_WEIGHED}
 * @param instrument the weighing instrument, null when not weighed
 * @param outcome emptied, blocked or an exception code
 * @param flags quality flags
 * @param uptimeMs monotonic uptime at the event
 */
public record CollectionEvent(
    UUID eventId,
    String vehicleId,
    String lifterId,
    LifterSide side,
    String tourId,
    String crewId,
    Container container,
    String fraction,
    int volumeLitres,
    EventTime time,
    Position position,
    Weighing weighing,
    Instrument instrument,
    Outcome outcome,
    Set<QualityFlag> flags,
    long uptimeMs) {
  public CollectionEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(vehicleId, "vehicleId");
    Objects.requireNonNull(side, "side");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(outcome, "outcome");
    flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
    if (container == null && !flags.contains(QualityFlag.NO_TAG)) {
      throw new IllegalArgumentException("no container but no NO_TAG flag");
    }
    if (position == null && !flags.contains(QualityFlag.NO_FIX)) {
      throw new IllegalArgumentException("no position but no NO_FIX flag");
    }
    if (weighing == null
        && outcome == Outcome.EMPTIED
        && !flags.contains(QualityFlag.NO_WEIGHT)
        && !flags.contains(QualityFlag.NOT_WEIGHED)) {
      throw new IllegalArgumentException(
          "emptied without weight but no NO_WEIGHT or NOT_WEIGHED flag");
    }
  }
}
