package io.haulproof.agent.runtime;

import io.haulproof.agent.lift.AgentClock;
import io.haulproof.agent.lift.GnssFix;
import io.haulproof.drivers.gpsd.GpsdClient;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.GpsFix;
import io.haulproof.drivers.reading.Stamp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * GNSS fixes from gpsd (TCP 2947, {@code ?WATCH} JSON) through the drivers' client, which
 * reconnects by itself.
 */
public final class GpsdSource implements SensorSource {
  private final String name;
  private final InetSocketAddress address;
  private final AgentClock clock;
  private final BlockingQueue<GpsFix> fixes = new LinkedBlockingQueue<>(1024);
  private final DriverMetrics metrics;
  private volatile GpsdClient client;
  private volatile boolean closed;

  public GpsdSource(String name, String hostPort, AgentClock clock) {
    this.name = name;
    int colon = hostPort.lastIndexOf(':');
    this.address =
        InetSocketAddress.createUnresolved(
            hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    this.clock = clock;
    this.metrics = new DriverMetrics(name);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void open() {
    closed = false;
    client =
        new GpsdClient(
                new InetSocketAddress(address.getHostString(), address.getPort()),
                name,
                Duration.ofSeconds(2),
                () -> new Stamp(clock.monotonicNanos(), clock.wallTime()),
                f -> {
                  if (!fixes.offer(f)) {
                    metrics.rejected("overflow");
                  }
                },
                metrics)
            .start();
  }

  @Override
  public void run(SensorSink sink) throws InterruptedException {
    long seenRejects = 0;
    while (!closed) {
      GpsFix f = fixes.poll(200, TimeUnit.MILLISECONDS);
      while (seenRejects < metrics.rejectedTotal()) {
        sink.rejected("gps");
        seenRejects++;
      }
      if (f != null) {
        sink.accepted("gps");
        GnssFix g = GnssSource.toLift(f);
        sink.live(name, Map.of("valid", g.valid(), "satellites", g.satellites()));
        sink.fix(g);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    GpsdClient c = client;
    if (c != null) {
      try {
        c.close();
      } catch (IOException e) {
        org.slf4j.LoggerFactory.getLogger(GpsdSource.class)
            .debug("closing gpsd client: {}", e.toString());
      }
    }
  }
}
