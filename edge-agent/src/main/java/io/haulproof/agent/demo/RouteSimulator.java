package io.haulproof.agent.demo;

import io.haulproof.agent.runtime.CrewInput;
import io.haulproof.agent.runtime.PipeTransport;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Drives a {@link DemoRoute} in real time as device bytes: NMEA epochs on the GNSS line, FDX-B
 * frames on the RFID line, a Toledo stream with motion and noise on the scale line, and crew
 * exception codes on the crew terminal.
 *
 * <p>Each stop takes {@code intervalMs}, split into 25 slots: tag read (twice, back to back),
 * hooking (motion), gross (stable), lift and dump (motion), tare (stable), lowering (motion),
 * lifter empty. Stopped lifts (unknown or wrong-day bins, exceptions) leave the scale at zero.
 */
public final class RouteSimulator {
  private static final int SLOTS = 25;

  private final DemoRoute route;
  private final PipeTransport gps;
  private final PipeTransport rfid;
  private final PipeTransport scale;
  private final Consumer<CrewInput> crew;
  private final long intervalMs;
  private final Random noise;
  private double lat;
  private double lon;
  private long slotsDone;
  private long startNanos;

  public RouteSimulator(
      DemoRoute route,
      PipeTransport gps,
      PipeTransport rfid,
      PipeTransport scale,
      Consumer<CrewInput> crew,
      long intervalMs,
      long seed) {
    if (intervalMs < 50) {
      throw new IllegalArgumentException("lift interval " + intervalMs + " ms, want at least 50");
    }
    this.route = route;
    this.gps = gps;
    this.rfid = rfid;
    this.scale = scale;
    this.crew = crew;
    this.intervalMs = intervalMs;
    this.noise = new Random(seed ^ 0x5EED);
    this.lat = route.stops().get(0).lat();
    this.lon = route.stops().get(0).lon();
  }

  /**
   * Blocking: a short warm-up (fix, empty lifter), then every stop in turn; {@code progress} hears
   * each stop.
   */
  public void run(Consumer<Integer> progress) throws InterruptedException {
    startNanos = System.nanoTime();
    slotsDone = 0;
    for (int i = 0; i < SLOTS; i++) {
      if (i % 12 == 0) {
        gpsEpoch();
      }
      scale.write(Frames.toledo(0, false));
      slot();
    }
    int n = 0;
    for (Stop s : route.stops()) {
      lat = s.lat();
      lon = s.lon();
      stop(s);
      progress.accept(++n);
    }
    for (int i = 0; i < SLOTS; i++) {
      if (i % 12 == 0) {
        gpsEpoch();
      }
      scale.write(Frames.toledo(0, false));
      slot();
    }
  }

  private void stop(Stop s) throws InterruptedException {
    for (int slot = 0; slot < SLOTS; slot++) {
      if (slot == 0 || slot == 12) {
        gpsEpoch();
      }
      if (slot == 0 && s.hasTag()) {
        // both reads in one write: a stalled thread between two writes (a loaded machine) must not
        // split one tag presentation into two debounce bursts, i.e. two lifts
        byte[] frame = Frames.fdxbUart(s.country(), s.nationalId());
        byte[] twice = java.util.Arrays.copyOf(frame, frame.length * 2);
        System.arraycopy(frame, 0, twice, frame.length, frame.length);
        rfid.write(twice);
      }
      if (slot == 12 && s.kind() == Stop.Kind.EXCEPTION) {
        crew.accept(new CrewInput(s.exception(), null));
      }
      scale.write(s.lifted() ? liftFrame(s, slot) : Frames.toledo(0, false));
      slot();
    }
  }

  /** The indicator's output at {@code slot} of a lift cycle. */
  private byte[] liftFrame(Stop s, int slot) {
    if (slot <= 2 || slot >= 22) {
      return Frames.toledo(0, false);
    }
    if (slot <= 4) {
      return Frames.toledo(jitter(s.grossTenths() * 6 / 10, 40), true);
    }
    if (slot <= 9) {
      return Frames.toledo(s.grossTenths(), false);
    }
    if (slot <= 15) {
      return Frames.toledo(jitter(s.grossTenths() / 2, s.grossTenths() / 2), true);
    }
    if (slot <= 19) {
      return Frames.toledo(s.tareTenths(), false);
    }
    return Frames.toledo(jitter(s.tareTenths() / 2, 20), true);
  }

  /** {@code center} ± {@code spread} tenths, rounded to the 0.5 kg increment, never negative. */
  private long jitter(long center, long spread) {
    long v = center + (spread == 0 ? 0 : noise.nextLong(-spread, spread + 1));
    return Math.max(0, Math.round(v / 5.0) * 5);
  }

  private void gpsEpoch() {
    double hdop = 0.8 + noise.nextInt(6) / 10.0;
    gps.write(
        Frames.nmeaEpoch(
            Instant.now().truncatedTo(ChronoUnit.MILLIS), lat, lon, 7 + noise.nextInt(5), hdop));
  }

  /**
   * Waits for the end of the current slot on a fixed schedule from the start, so that a slow sleep
   * does not stretch the route: {@code intervalMs} per stop on average, whatever the load.
   */
  private void slot() throws InterruptedException {
    slotsDone++;
    long dueNanos = startNanos + slotsDone * intervalMs * 1_000_000L / SLOTS;
    long waitNanos = dueNanos - System.nanoTime();
    if (waitNanos > 0) {
      Thread.sleep(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
    }
  }
}
