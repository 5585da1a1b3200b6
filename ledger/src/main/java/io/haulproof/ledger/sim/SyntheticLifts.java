package io.haulproof.ledger.sim;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.entry.CollectionBody;
import io.haulproof.lightchain.entry.ContainerRead;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryHeader;
import io.haulproof.lightchain.entry.FixMode;
import io.haulproof.lightchain.entry.Instrument;
import io.haulproof.lightchain.entry.Lifter;
import io.haulproof.lightchain.entry.Operation;
import io.haulproof.lightchain.entry.Outcome;
import io.haulproof.lightchain.entry.Position;
import io.haulproof.lightchain.entry.QualityFlag;
import io.haulproof.lightchain.entry.Service;
import io.haulproof.lightchain.entry.TagTechnology;
import io.haulproof.lightchain.entry.TimeSource;
import io.haulproof.lightchain.entry.Weighing;
import io.haulproof.lightchain.entry.WeightUnit;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Random;
import java.util.Set;

/**
 * Realistic, seeded collection entries of one simulated truck on a tour: lifts about every 40 s,
 * bins from a city-wide pool (so trucks share bins), positions along a street, weighings with a
 * Y(a) instrument (e = 0.5 kg, Min 10 kg) of which a few are below Min, unstable or tilted.
 *
 * <p>For the fleet simulator and tests; the weighing flags are consistent with the numbers, like a
 * real indicator's.
 */
public final class SyntheticLifts {
  /** Bins in the simulated city; tag ids are FDX-B style, 8 bytes. */
  public static final int BINS = 50_000;

  private final String device;
  private final String vehicle;
  private final String tour;
  private final Random random;
  private final long startMillis;
  private double lat;
  private double lon;
  private long seq;
  private long counter;

  /**
   * @param seq the sequence number of the first entry (from 1)
   */
  public SyntheticLifts(String device, long seed, long startMillis, long seq) {
    this.device = device;
    this.vehicle = "veh-" + device;
    this.tour = "tour-" + device + "-" + (startMillis / 86_400_000L);
    this.random = new Random(seed);
    this.startMillis = startMillis;
    this.lat = 48.10 + random.nextDouble() * 0.10;
    this.lon = 11.50 + random.nextDouble() * 0.15;
    this.seq = seq;
  }

  /** The raw tag id of bin number {@code n} of the city pool. */
  public static Bytes binTag(int n) {
    long v = 0x3E8_0000_0000_0000L | (n & 0xffff_ffffL);
    byte[] b = new byte[8];
    for (int i = 7; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
    return Bytes.wrap(b);
  }

  public String vehicle() {
    return vehicle;
  }

  public String tour() {
    return tour;
  }

  /** The next lift, its bin drawn from the pool. */
  public Entry next() {
    return next(random.nextInt(BINS));
  }

  /** The next lift, of bin {@code bin} of the pool. */
  public Entry next(int bin) {
    long at = startMillis + (seq - 1) * 40_000L + random.nextInt(5_000);
    lat += (random.nextDouble() - 0.5) * 0.0008;
    lon += (random.nextDouble() - 0.5) * 0.0012;
    EntryHeader h =
        new EntryHeader(device, 0, seq++, at, TimeSource.GNSS, 50, (seq - 1) * 40_000L + 1_000);
    int decimals = 1;
    long tare = 150 + random.nextInt(60); // 15.0 .. 20.9 kg
    long net = random.nextInt(10) == 0 ? 20 + random.nextInt(70) : 150 + random.nextInt(600);
    boolean stable = random.nextInt(25) != 0;
    boolean tilt = random.nextInt(40) == 0;
    long min = 100; // 10.0 kg, 20 e for Y(a) with e = 0.5 kg
    Weighing w =
        new Weighing(
            WeightUnit.KG,
            decimals,
            tare + net,
            tare,
            5,
            min,
            3000,
            stable,
            net < min,
            false,
            tilt);
    ContainerRead tag =
        new ContainerRead(
            binTag(bin),
            TagTechnology.FDX_B,
            OptionalInt.of(1000),
            OptionalLong.of(bin),
            1 + random.nextInt(4),
            OptionalInt.of(-40 - random.nextInt(30)),
            OptionalInt.empty());
    CollectionBody body =
        new CollectionBody(
            Optional.of(tag),
            Optional.of(Position.ofDegrees(lat, lon, 0.9, FixMode.FIX_3D, 9)),
            new Operation(vehicle, Lifter.REAR_COMB, Optional.of(tour), Optional.of("crew-1")),
            Optional.of(new Service("residual", 120)),
            Optional.of(w),
            Optional.of(new Instrument("SC-" + device, OptionalLong.of(++counter))),
            Outcome.EMPTIED,
            Optional.empty(),
            Optional.empty(),
            stable ? Set.of() : Set.of(QualityFlag.WEIGHT_UNSTABLE));
    return new Entry(h, body);
  }
}
