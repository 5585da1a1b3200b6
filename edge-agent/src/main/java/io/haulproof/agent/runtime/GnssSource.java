package io.haulproof.agent.runtime;

import io.haulproof.agent.lift.AgentClock;
import io.haulproof.agent.lift.GnssFix;
import io.haulproof.drivers.gps.NmeaOptions;
import io.haulproof.drivers.gps.NmeaParser;
import io.haulproof.drivers.gps.NmeaStreamDecoder;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.FixMode;
import io.haulproof.drivers.reading.GpsFix;
import io.haulproof.drivers.reading.Stamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GNSS receiver speaking NMEA 0183: the drivers' framer, parser and epoch assembler, then {@link
 * GnssFix}es.
 */
public final class GnssSource extends StreamSource {
  private final DriverMetrics metrics;
  private final NmeaStreamDecoder decoder;
  private final List<GpsFix> fixes = new ArrayList<>();
  private long seenRejects;

  public GnssSource(String name, Transport transport, AgentClock clock) {
    super(name, transport);
    this.metrics = new DriverMetrics(name);
    this.decoder =
        new NmeaStreamDecoder(
            name,
            new NmeaParser(NmeaOptions.strict(), metrics),
            () -> new Stamp(clock.monotonicNanos(), clock.wallTime()),
            fixes::add);
  }

  @Override
  protected void feed(byte[] buf, int n, SensorSink sink) {
    decoder.feed(buf, 0, n);
    drain(sink);
  }

  @Override
  protected void finish(SensorSink sink) {
    decoder.flush();
    drain(sink);
  }

  private void drain(SensorSink sink) {
    long total = metrics.rejectedTotal();
    while (seenRejects < total) {
      sink.rejected("gps");
      seenRejects++;
    }
    for (GpsFix f : fixes) {
      sink.accepted("gps");
      GnssFix g = toLift(f);
      Map<String, Object> live = new LinkedHashMap<>();
      live.put("valid", g.valid());
      live.put("lat", Double.isNaN(g.lat()) ? "—" : String.format("%.6f", g.lat()));
      live.put("lon", Double.isNaN(g.lon()) ? "—" : String.format("%.6f", g.lon()));
      live.put("hdop", g.hdop() == null ? "—" : g.hdop());
      live.put("satellites", g.satellites());
      sink.live(name(), live);
      sink.fix(g);
    }
    fixes.clear();
  }

  /**
   * The signed entry's fix mode for a driver's, null when the receiver did not say. A switch
   * expression, so a new driver mode fails compilation here until it is mapped.
   */
  static io.haulproof.lightchain.entry.FixMode fixMode(FixMode m) {
    return switch (m) {
      case UNKNOWN -> null;
      case NO_FIX -> io.haulproof.lightchain.entry.FixMode.NO_FIX;
      case FIX_2D -> io.haulproof.lightchain.entry.FixMode.FIX_2D;
      case FIX_3D -> io.haulproof.lightchain.entry.FixMode.FIX_3D;
    };
  }

  static GnssFix toLift(GpsFix f) {
    Instant utc =
        f.utcDate().isPresent() && f.utcTime().isPresent()
            ? LocalDateTime.of(f.utcDate().get(), f.utcTime().get()).toInstant(ZoneOffset.UTC)
            : null;
    io.haulproof.lightchain.entry.FixMode mode = fixMode(f.mode());
    return new GnssFix(
        f.hasValidPosition(),
        f.latitude().orElse(Double.NaN),
        f.longitude().orElse(Double.NaN),
        f.hdop().isPresent() ? f.hdop().getAsDouble() : null,
        mode,
        f.satellitesUsed().orElse(-1),
        utc,
        f.stamp().monotonicNanos());
  }
}
