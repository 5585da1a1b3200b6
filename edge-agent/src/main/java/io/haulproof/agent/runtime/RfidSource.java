package io.haulproof.agent.runtime;

import io.haulproof.agent.config.RfidConfig;
import io.haulproof.agent.lift.AgentClock;
import io.haulproof.agent.lift.LifterSide;
import io.haulproof.agent.lift.TagRead;
import io.haulproof.agent.lift.TagTechnology;
import io.haulproof.drivers.reading.ByteFramer;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.EpcCode;
import io.haulproof.drivers.reading.Iso11784Code;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.reading.TagId;
import io.haulproof.drivers.rfid.FdxbUartReader;
import io.haulproof.drivers.rfid.TagDebouncer;
import io.haulproof.drivers.rfid.TagSink;
import io.haulproof.drivers.rfid.TiMicroReader;
import io.haulproof.drivers.rfid.TirisAsciiReader;
import io.haulproof.drivers.rfid.UhfA0Reader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * An RFID reader at one lifter: the drivers' protocol framer, then the debouncer, then {@link
 * TagRead}s for the lift assembler. Rejected frames are counted per driver.
 */
public final class RfidSource extends StreamSource {
  private final String protocol;
  private final String lifterId;
  private final LifterSide side;
  private final AgentClock clock;
  private final ByteFramer framer;
  private final TagDebouncer debouncer;
  private final DriverMetrics metrics;
  private final List<io.haulproof.drivers.reading.TagRead> raw = new ArrayList<>();
  private long seenRejects;

  public RfidSource(String name, RfidConfig config, Transport transport, AgentClock clock) {
    super(name, transport);
    this.protocol = config.protocol();
    this.lifterId = config.lifter();
    this.side = config.side();
    this.clock = clock;
    this.metrics = new DriverMetrics(name);
    Supplier<Stamp> stamps = () -> new Stamp(clock.monotonicNanos(), clock.wallTime());
    TagSink sink = raw::add;
    this.framer =
        switch (protocol) {
          case "fdxb-uart" -> new FdxbUartReader(name, stamps, sink, metrics);
          case "tiris-ascii" -> new TirisAsciiReader(name, stamps, sink, metrics);
          case "ti-binary" -> new TiMicroReader(name, stamps, sink, metrics);
          case "uhf-a0" -> new UhfA0Reader(name, stamps, sink, metrics);
          default -> throw new IllegalArgumentException("unknown RFID protocol " + protocol);
        };
    this.debouncer = new TagDebouncer(Duration.ofMillis(Math.max(1, config.debounceMs())), 64);
  }

  @Override
  protected void feed(byte[] buf, int n, SensorSink sink) {
    framer.feed(buf, 0, n);
    countRejects(sink);
    for (io.haulproof.drivers.reading.TagRead r : raw) {
      sink.accepted("rfid");
      sink.live(name(), Map.of("tag", containerId(r.tag()), "lifter", lifterId));
      debouncer.accept(r).forEach(t -> sink.tag(toLift(t)));
    }
    raw.clear();
    debouncer.poll(clock.monotonicNanos()).forEach(t -> sink.tag(toLift(t)));
  }

  @Override
  protected void idle(SensorSink sink, Transport.Link link) {
    debouncer.poll(clock.monotonicNanos()).forEach(t -> sink.tag(toLift(t)));
  }

  @Override
  protected void finish(SensorSink sink) {
    debouncer.flush().forEach(t -> sink.tag(toLift(t)));
  }

  private void countRejects(SensorSink sink) {
    long total = metrics.rejectedTotal();
    while (seenRejects < total) {
      sink.rejected("rfid");
      seenRejects++;
    }
  }

  private TagRead toLift(io.haulproof.drivers.reading.TagRead r) {
    TagId id = r.tag();
    Integer rssi = r.rssi().isPresent() ? r.rssi().getAsInt() : null;
    return new TagRead(
        id.rawHex(),
        containerId(id),
        technology(id),
        r.count(),
        rssi,
        lifterId,
        side,
        r.stamp().monotonicNanos());
  }

  /**
   * The container id as the allow-list keys it: {@code CCC-NNNNNNNNNNNN} for ISO 11784 codes
   * (country or manufacturer code, national id), the EPC hex for UHF tags, the raw hex otherwise.
   */
  public static String containerId(TagId id) {
    if (id instanceof Iso11784Code c) {
      return String.format("%03d-%012d", c.country(), c.nationalId());
    }
    return id.rawHex();
  }

  private TagTechnology technology(TagId id) {
    if (id instanceof EpcCode) {
      return TagTechnology.UHF_EPC;
    }
    return protocol.equals("fdxb-uart") ? TagTechnology.FDX_B : TagTechnology.HDX;
  }
}
