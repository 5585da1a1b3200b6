package io.haulproof.drivers.remote;

import io.haulproof.drivers.reading.DistanceReading;
import io.haulproof.drivers.reading.FillLevelReading;
import io.haulproof.drivers.reading.Reading;
import io.haulproof.drivers.reading.ReadingStatus;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborLimits;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.cbor.MapBuilder;
import io.haulproof.lightchain.cbor.MapReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The CBOR payload a smart-bin node signs, with integer keys modelled on LwM2M/IPSO objects:
 *
 * <pre>
 * { 1: node id tstr, 2: counter uint (strictly increasing), 3: node time uint (Unix seconds, opt),
 *   3435: { 6001: fill % uint 0..100 (opt), 6004: full bool (opt), 6006: empty bool (opt),
 *           -1: tilt bool (opt), -2: fire bool (opt), -3: cover open bool (opt), -4: operations uint (opt) } (opt),
 *   3330: { 5700: distance uint, 5701: units tstr } (opt) }
 * </pre>
 *
 * <p>3435 is "Filling level" (6001 actual fill percentage, 6004 container full, 6006 container
 * empty); the negative keys are Haulproof's additions for what 3435 lacks. 3330 is "Distance" (5700
 * sensor value, 5701 units). Values are integers because the strict codec has no floats: a node
 * reports millimetres and whole percent. Unknown keys are rejected, so a node cannot smuggle fields
 * past the verifier.
 */
public record NodePayload(
    String nodeId,
    long counter,
    OptionalLong nodeTime,
    OptionalInt fillPercent,
    Optional<Boolean> full,
    Optional<Boolean> empty,
    Optional<Boolean> tilt,
    Optional<Boolean> fire,
    Optional<Boolean> coverOpen,
    OptionalLong operations,
    OptionalLong distance,
    Optional<String> distanceUnits) {
  public static final int KEY_NODE = 1;
  public static final int KEY_COUNTER = 2;
  public static final int KEY_TIME = 3;
  public static final int OBJ_FILLING_LEVEL = 3435;
  public static final int OBJ_DISTANCE = 3330;

  /** At most 1024 bytes of CoAP payload (DOMAIN.md: keep a CoAP message within 1152 bytes). */
  public static final int MAX_MESSAGE = 1024;

  public NodePayload {
    if (nodeId == null
        || nodeId.isEmpty()
        || nodeId.length() > 64
        || !nodeId.matches("[A-Za-z0-9._-]+")) {
      throw new IllegalArgumentException("node id '" + nodeId + "' must be 1-64 of [A-Za-z0-9._-]");
    }
    if (counter < 0) {
      throw new IllegalArgumentException("counter " + counter + " < 0");
    }
    if (distance.isPresent() != distanceUnits.isPresent()) {
      throw new IllegalArgumentException("distance needs its units");
    }
  }

  /**
   * Strictly decodes a payload (unknown keys, wrong types and out-of-range values are rejected).
   */
  public static NodePayload decode(Bytes payload) {
    MapReader m =
        MapReader.of(Cbor.decode(payload, new CborLimits(MAX_MESSAGE, 4)), "node reading");
    String node = m.requireText(KEY_NODE);
    long counter = m.requireLong(KEY_COUNTER, 0, Long.MAX_VALUE);
    OptionalLong time = m.optLong(KEY_TIME, 0, 253402300799L);
    Fill fill =
        m.optMap(
                OBJ_FILLING_LEVEL,
                "3435",
                f ->
                    new Fill(
                        f.optInt(6001, 0, 100),
                        optBool(f, 6004),
                        optBool(f, 6006),
                        optBool(f, -1),
                        optBool(f, -2),
                        optBool(f, -3),
                        f.optLong(-4, 0, Long.MAX_VALUE)))
            .orElse(Fill.NONE);
    Optional<Distance> dist =
        m.optMap(
            OBJ_DISTANCE,
            "3330",
            d -> new Distance(d.requireLong(5700, 0, 1_000_000), d.requireText(5701)));
    m.end();
    return new NodePayload(
        node,
        counter,
        time,
        fill.percent(),
        fill.full(),
        fill.empty(),
        fill.tilt(),
        fill.fire(),
        fill.coverOpen(),
        fill.operations(),
        dist.map(d -> OptionalLong.of(d.value())).orElse(OptionalLong.empty()),
        dist.map(Distance::units));
  }

  private record Fill(
      OptionalInt percent,
      Optional<Boolean> full,
      Optional<Boolean> empty,
      Optional<Boolean> tilt,
      Optional<Boolean> fire,
      Optional<Boolean> coverOpen,
      OptionalLong operations) {
    static final Fill NONE =
        new Fill(
            OptionalInt.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            OptionalLong.empty());
  }

  private record Distance(long value, String units) {}

  private static Optional<Boolean> optBool(MapReader r, long key) {
    return r.optValue(key).isPresent() ? Optional.of(r.requireBool(key)) : Optional.empty();
  }

  /** Encodes deterministically (for nodes, simulators and tests). */
  public Bytes encode() {
    MapBuilder b =
        CborMap.builder().put(KEY_NODE, nodeId).put(KEY_COUNTER, counter).opt(KEY_TIME, nodeTime);
    if (fillPercent.isPresent()
        || full.isPresent()
        || empty.isPresent()
        || tilt.isPresent()
        || fire.isPresent()
        || coverOpen.isPresent()
        || operations.isPresent()) {
      MapBuilder f = CborMap.builder().opt(6001, fillPercent);
      full.ifPresent(v -> f.put(6004, v));
      empty.ifPresent(v -> f.put(6006, v));
      tilt.ifPresent(v -> f.put(-1, v));
      fire.ifPresent(v -> f.put(-2, v));
      coverOpen.ifPresent(v -> f.put(-3, v));
      f.opt(-4, operations);
      b.put(OBJ_FILLING_LEVEL, f.build());
    }
    if (distance.isPresent()) {
      b.put(
          OBJ_DISTANCE,
          CborMap.builder().put(5700, distance.getAsLong()).put(5701, distanceUnits.get()).build());
    }
    return Cbor.encode(b.build());
  }

  /** The readings this payload carries, stamped with the receive time; source is the node id. */
  public List<Reading> readings(Stamp stamp) {
    List<Reading> out = new ArrayList<>();
    Optional<Instant> t =
        nodeTime.isPresent()
            ? Optional.of(Instant.ofEpochSecond(nodeTime.getAsLong()))
            : Optional.empty();
    if (fillPercent.isPresent()
        || full.isPresent()
        || empty.isPresent()
        || tilt.isPresent()
        || fire.isPresent()
        || coverOpen.isPresent()
        || operations.isPresent()) {
      out.add(
          new FillLevelReading(
              nodeId,
              stamp,
              ReadingStatus.VALID,
              counter,
              t,
              fillPercent.isPresent()
                  ? OptionalDouble.of(fillPercent.getAsInt())
                  : OptionalDouble.empty(),
              full,
              empty,
              tilt,
              fire,
              coverOpen,
              operations));
    }
    if (distance.isPresent()) {
      out.add(
          new DistanceReading(
              nodeId,
              stamp,
              ReadingStatus.VALID,
              counter,
              t,
              distance.getAsLong(),
              distanceUnits.get()));
    }
    return out;
  }
}
