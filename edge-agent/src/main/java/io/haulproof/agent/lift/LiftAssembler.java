package io.haulproof.agent.lift;

import io.haulproof.lightchain.entry.ExceptionCode;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Correlates an RFID read (which lifter), the scale's lift cycle (gross then tare) and the GNSS fix
 * into one {@link CollectionEvent} (DOMAIN.md section 2).
 *
 * <p>Rules: a tag of an unregistered or wrong-day bin gives a blocked event at once. A registered
 * tag waits for a lift cycle whose gross comes within the tag window; if none completes before the
 * cycle timeout, the event is recorded flagged {@link QualityFlag#NO_WEIGHT}. A lift cycle without
 * a tag waits the late-tag grace period, then is recorded flagged {@link QualityFlag#NO_TAG}. A
 * crew exception closes the pending tag with its code. Nothing is dropped and nothing is silently
 * defaulted.
 *
 * <p>Not thread-safe: call it from one context (the lift verticle) and call {@link #tick()}
 * periodically.
 */
public final class LiftAssembler {
  private static final long NANOS_PER_MS = 1_000_000L;

  private final AssemblerSettings settings;
  private final AgentClock clock;
  private final TimeKeeper time;
  private final Consumer<CollectionEvent> sink;
  private final Supplier<UUID> ids;
  private final long startNanos;

  private BinRegistry registry;
  private String tourId;
  private String crewId;
  private TagRead pendingTag;
  private Weighing pendingWeighing;
  private TagRead lastBlocked;
  private long repeatedBlockedReads;

  public LiftAssembler(
      AssemblerSettings settings,
      BinRegistry registry,
      AgentClock clock,
      Consumer<CollectionEvent> sink,
      Supplier<UUID> ids) {
    this.settings = Objects.requireNonNull(settings);
    this.registry = Objects.requireNonNull(registry);
    this.clock = Objects.requireNonNull(clock);
    this.sink = Objects.requireNonNull(sink);
    this.ids = Objects.requireNonNull(ids);
    this.time =
        new TimeKeeper(
            clock,
            settings.maxFixAgeMs(),
            settings.clockJumpThresholdMs(),
            settings.fallbackTimeSource());
    this.startNanos = clock.monotonicNanos();
    this.tourId = settings.tourId();
    this.crewId = settings.crewId();
  }

  /** A debounced tag read at a lifter. */
  public void onTag(TagRead tag) {
    if (pendingWeighing != null
        && (tag.atNanos() - pendingWeighing.tareAtNanos()) / NANOS_PER_MS
            > settings.lateTagGraceMs()) {
      // Read after the grace period: the next bin, not a late read of this one.
      Weighing w = pendingWeighing;
      pendingWeighing = null;
      emitUnidentifiedLift(w);
    }
    if (pendingWeighing != null) {
      Weighing w = pendingWeighing;
      pendingWeighing = null;
      if (allowed(tag)) {
        // A tag read before the gross but delivered after the cycle (debouncing) is not late.
        Set<QualityFlag> flags =
            tag.atNanos() > w.grossAtNanos()
                ? EnumSet.of(QualityFlag.TAG_LATE)
                : EnumSet.noneOf(QualityFlag.class);
        emit(tag, w, Outcome.EMPTIED, flags, w.tareAtNanos());
      } else {
        // The blocked event is recorded by allowed(); the weighed lift stays unidentified.
        emitUnidentifiedLift(w);
      }
      return;
    }
    if (lastBlocked != null
        && lastBlocked.containerId().equals(tag.containerId())
        && lastBlocked.lifterId().equals(tag.lifterId())
        && (tag.atNanos() - lastBlocked.atNanos()) / NANOS_PER_MS <= settings.tagWindowMs()) {
      // The same stopped bin read again: already recorded as blocked.
      repeatedBlockedReads++;
      return;
    }
    if (pendingTag != null) {
      if (pendingTag.containerId().equals(tag.containerId())
          && pendingTag.lifterId().equals(tag.lifterId())) {
        pendingTag = pendingTag.mergedWith(tag);
        return;
      }
      closeUnweighed(pendingTag);
      pendingTag = null;
    }
    if (allowed(tag)) {
      if (settings.hasScale()) {
        pendingTag = tag;
      } else {
        emit(tag, null, Outcome.EMPTIED, EnumSet.of(QualityFlag.NOT_WEIGHED), tag.atNanos());
      }
    }
  }

  /** A completed lift cycle of the scale. */
  public void onWeighing(Weighing weighing) {
    if (pendingTag != null) {
      long lagMs = (weighing.grossAtNanos() - pendingTag.atNanos()) / NANOS_PER_MS;
      if (lagMs <= settings.tagWindowMs()) {
        TagRead tag = pendingTag;
        pendingTag = null;
        emit(
            tag,
            weighing,
            Outcome.EMPTIED,
            EnumSet.noneOf(QualityFlag.class),
            weighing.tareAtNanos());
        return;
      }
      closeUnweighed(pendingTag);
      pendingTag = null;
    }
    if (pendingWeighing != null) {
      emitUnidentifiedLift(pendingWeighing);
    }
    if (settings.lateTagGraceMs() > 0) {
      pendingWeighing = weighing;
    } else {
      emitUnidentifiedLift(weighing);
    }
  }

  /** A new GNSS fix (valid or not). */
  public void onFix(GnssFix fix) {
    time.onFix(fix);
  }

  /**
   * A crew exception code for the bin at the lifter: closes the pending tag with it, or, when no
   * tag was read (a bin that was not out has no tag to read), records it against {@code
   * manualContainerId} or no container.
   */
  public void onException(ExceptionCode code, String manualContainerId) {
    Objects.requireNonNull(code, "code");
    if (pendingTag != null) {
      TagRead tag = pendingTag;
      pendingTag = null;
      emit(tag, null, Outcome.of(code), EnumSet.noneOf(QualityFlag.class), clock.monotonicNanos());
      return;
    }
    long now = clock.monotonicNanos();
    if (manualContainerId != null) {
      TagRead manual =
          new TagRead(
              manualContainerId,
              manualContainerId,
              TagTechnology.MANUAL,
              1,
              null,
              "crew",
              LifterSide.NONE,
              now);
      emit(manual, null, Outcome.of(code), EnumSet.of(QualityFlag.MANUAL_ID), now);
    } else {
      emit(null, null, Outcome.of(code), EnumSet.of(QualityFlag.NO_TAG), now);
    }
  }

  /** Closes timed-out correlations and samples the clocks; call about once a second. */
  public void tick() {
    long now = clock.monotonicNanos();
    time.sample();
    if (pendingTag != null
        && (now - pendingTag.atNanos()) / NANOS_PER_MS > settings.cycleTimeoutMs()) {
      closeUnweighed(pendingTag);
      pendingTag = null;
    }
    if (pendingWeighing != null
        && (now - pendingWeighing.tareAtNanos()) / NANOS_PER_MS > settings.lateTagGraceMs()) {
      Weighing w = pendingWeighing;
      pendingWeighing = null;
      emitUnidentifiedLift(w);
    }
  }

  /** Records everything still pending, for an orderly shutdown. */
  public void flush() {
    if (pendingTag != null) {
      closeUnweighed(pendingTag);
      pendingTag = null;
    }
    if (pendingWeighing != null) {
      Weighing w = pendingWeighing;
      pendingWeighing = null;
      emitUnidentifiedLift(w);
    }
  }

  /** Replaces the allow-list (management). */
  public void setRegistry(BinRegistry registry) {
    this.registry = Objects.requireNonNull(registry);
  }

  /** Sets tour and crew for the following events (start of shift). */
  public void setRoute(String tourId, String crewId) {
    this.tourId = tourId;
    this.crewId = crewId;
  }

  public boolean hasPending() {
    return pendingTag != null || pendingWeighing != null;
  }

  /** Reads of a blocked bin that were not recorded again because its blocked event already was. */
  public long repeatedBlockedReads() {
    return repeatedBlockedReads;
  }

  public TimeKeeper timeKeeper() {
    return time;
  }

  private boolean allowed(TagRead tag) {
    LocalDate today =
        time.timeAt(tag.atNanos(), EnumSet.noneOf(QualityFlag.class))
            .utc()
            .atZone(settings.zone())
            .toLocalDate();
    BinRegistry.Verdict v = registry.check(tag.containerId(), today);
    if (v == BinRegistry.Verdict.REGISTERED) {
      return true;
    }
    Outcome o =
        v == BinRegistry.Verdict.NOT_REGISTERED
            ? Outcome.BLOCKED_NOT_REGISTERED
            : Outcome.BLOCKED_WRONG_DAY;
    lastBlocked = tag;
    emit(tag, null, o, EnumSet.noneOf(QualityFlag.class), tag.atNanos());
    return false;
  }

  private void closeUnweighed(TagRead tag) {
    emit(tag, null, Outcome.EMPTIED, EnumSet.of(QualityFlag.NO_WEIGHT), tag.atNanos());
  }

  private void emitUnidentifiedLift(Weighing w) {
    emit(null, w, Outcome.EMPTIED, EnumSet.of(QualityFlag.NO_TAG), w.tareAtNanos());
  }

  private void emit(
      TagRead tag, Weighing w, Outcome outcome, Set<QualityFlag> flags, long atNanos) {
    EventTime t = time.timeAt(atNanos, flags);
    Position pos = time.positionAt(atNanos, flags);
    if (w != null) {
      if (!w.stable()) {
        flags.add(QualityFlag.WEIGHT_UNSTABLE);
      }
      if (w.belowMin()) {
        flags.add(QualityFlag.BELOW_MIN);
      }
      if (w.overMax()) {
        flags.add(QualityFlag.OVER_MAX);
      }
      if (w.tilt()) {
        flags.add(QualityFlag.TILT);
      }
    }
    Container container = null;
    String fraction = null;
    int volume = 0;
    if (tag != null) {
      container =
          new Container(
              tag.rawHex(), tag.containerId(), tag.technology(), tag.readCount(), tag.rssi());
      RegisteredBin bin = registry.find(tag.containerId()).orElse(null);
      if (bin != null) {
        fraction = bin.fraction();
        volume = bin.volumeLitres();
      }
    }
    sink.accept(
        new CollectionEvent(
            ids.get(),
            settings.vehicleId(),
            tag == null ? null : tag.lifterId(),
            tag == null ? LifterSide.NONE : tag.side(),
            tourId,
            crewId,
            container,
            fraction,
            volume,
            t,
            pos,
            w,
            w == null ? null : settings.instrument(),
            outcome,
            flags,
            (atNanos - startNanos) / NANOS_PER_MS));
  }
}
