package io.haulproof.lightchain.entry;

import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.MapReader;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A collection event: one bin lift with identification, position, operation, weighing and outcome
 * (DOMAIN.md §2).
 *
 * @param container the tag read, absent when no tag was read (then {@link QualityFlag#RFID_MISSING}
 *     is set)
 * @param position the GNSS position, absent when none was available
 * @param operation vehicle, lifter, route and crew
 * @param service fraction and volume from the allow-list, absent for unregistered containers
 * @param weighing the weighing, absent on trucks without a scale or when no reading was taken
 * @param instrument the weighing instrument's identity, present whenever {@code weighing} is unless
 *     {@link QualityFlag#INSTRUMENT_UNKNOWN} says it is not known (never a placeholder)
 * @param outcome what happened
 * @param exception the exception code, present exactly when the outcome is {@link
 *     Outcome#EXCEPTION}
 * @param photoHash SHA-256 of a photo taken at the lift, if any
 * @param quality data-quality warnings
 */
public record CollectionBody(
    Optional<ContainerRead> container,
    Optional<Position> position,
    Operation operation,
    Optional<Service> service,
    Optional<Weighing> weighing,
    Optional<Instrument> instrument,
    Outcome outcome,
    Optional<ExceptionCode> exception,
    Optional<Hash> photoHash,
    Set<QualityFlag> quality)
    implements EntryBody {
  public CollectionBody {
    Objects.requireNonNull(container, "container");
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(weighing, "weighing");
    Objects.requireNonNull(instrument, "instrument");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(exception, "exception");
    Objects.requireNonNull(photoHash, "photoHash");
    quality = quality.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(quality));
    if ((outcome == Outcome.EXCEPTION) != exception.isPresent()) {
      throw new IllegalArgumentException(
          "outcome "
              + outcome
              + " with exception code "
              + exception
              + ": an exception code is required exactly for outcome EXCEPTION");
    }
    boolean unknown = quality.contains(QualityFlag.INSTRUMENT_UNKNOWN);
    if (weighing.isPresent() && instrument.isEmpty() && !unknown) {
      throw new IllegalArgumentException(
          "a weighing needs the instrument identity or flag INSTRUMENT_UNKNOWN");
    }
    if (unknown && (instrument.isPresent() || weighing.isEmpty())) {
      throw new IllegalArgumentException(
          "flag INSTRUMENT_UNKNOWN only on a weighing without instrument identity");
    }
  }

  @Override
  public EntryKind kind() {
    return EntryKind.collection;
  }

  @Override
  public CborMap toCbor() {
    long mask = QualityFlag.toMask(quality);
    return CborMap.builder()
        .opt(1, container)
        .opt(2, position)
        .put(3, operation)
        .opt(4, service)
        .opt(5, weighing)
        .opt(6, instrument)
        .put(7, outcome.code())
        .opt(8, exception.map(ExceptionCode::code))
        .opt(9, photoHash.map(Hash::toBytes))
        .opt(10, mask == 0 ? Optional.empty() : Optional.of(mask))
        .build();
  }

  static CollectionBody read(MapReader r) {
    Optional<Long> mask = r.optValue(10).map(v -> r.requireLong(10, 1, Long.MAX_VALUE));
    return new CollectionBody(
        r.optMap(1, "container", ContainerRead::read),
        r.optMap(2, "position", Position::read),
        r.requireMap(3, "operation", Operation::read),
        r.optMap(4, "service", Service::read),
        r.optMap(5, "weighing", Weighing::read),
        r.optMap(6, "instrument", Instrument::read),
        Outcome.fromCode(r.requireLong(7)),
        r.optValue(8).map(v -> ExceptionCode.fromCode(r.requireLong(8))),
        r.optBytes(9).map(b -> Hash.of(b.toByteArray())),
        mask.map(QualityFlag::fromMask).orElse(Set.of()));
  }
}
