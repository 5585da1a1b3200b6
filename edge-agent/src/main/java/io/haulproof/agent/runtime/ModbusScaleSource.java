package io.haulproof.agent.runtime;

import io.haulproof.agent.config.ModbusConfig;
import io.haulproof.agent.config.ScaleConfig;
import io.haulproof.agent.lift.AgentClock;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.scale.ModbusException;
import io.haulproof.drivers.scale.ModbusIndicatorClient;
import io.haulproof.drivers.scale.ModbusLink;
import io.haulproof.drivers.scale.ModbusWeightMap;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A Modbus RTU weighing indicator, polled every {@code pollMs} through the drivers' client
 * (configurable register map), then the {@link WeighingPipeline}. Timeouts and exception responses
 * are counted as rejects, never fatal.
 */
public final class ModbusScaleSource implements SensorSource {
  private static final long TIMEOUT_MS = 300;

  private final String name;
  private final ScaleConfig config;
  private final Transport transport;
  private final AgentClock clock;
  private final DriverMetrics metrics;
  private final WeighingPipeline pipeline;
  private volatile Transport.Link link;
  private volatile boolean closed;

  public ModbusScaleSource(
      String name,
      ScaleConfig config,
      Transport transport,
      AgentClock clock,
      Duration motionTimeout) {
    this.name = name;
    this.config = config;
    this.transport = transport;
    this.clock = clock;
    this.metrics = new DriverMetrics(name);
    this.pipeline = new WeighingPipeline(name, config, motionTimeout, metrics);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void open() throws IOException {
    closed = false;
    link = transport.open();
  }

  @Override
  public void run(SensorSink sink) throws Exception {
    Transport.Link l = link;
    ModbusConfig m = config.modbus();
    ModbusWeightMap map =
        new ModbusWeightMap(
            m.unitId(),
            3,
            m.weightRegister(),
            m.wordOrder().equals("big")
                ? ModbusWeightMap.WordOrder.HIGH_WORD_FIRST
                : ModbusWeightMap.WordOrder.LOW_WORD_FIRST,
            m.type().equals("int32")
                ? ModbusWeightMap.ValueType.INT32
                : ModbusWeightMap.ValueType.FLOAT32,
            m.decimals(),
            m.statusRegister(),
            m.stableBit(),
            true,
            pipeline.unit());
    ModbusIndicatorClient client =
        new ModbusIndicatorClient(
            name,
            new StreamLink(l),
            map,
            TIMEOUT_MS,
            () -> new Stamp(clock.monotonicNanos(), clock.wallTime()),
            metrics);
    while (!closed) {
      long started = System.nanoTime();
      try {
        pipeline.accept(client.read(), sink);
      } catch (TimeoutException
          | ModbusException
          | io.haulproof.drivers.reading.MalformedFrameException e) {
        sink.rejected("scale");
      }
      pipeline.poll(new Stamp(clock.monotonicNanos(), clock.wallTime()), sink);
      long sleep = m.pollMs() - (System.nanoTime() - started) / 1_000_000;
      if (sleep > 0) {
        Thread.sleep(sleep);
      }
    }
  }

  @Override
  public LinkStatus link() {
    Transport.Link l = link;
    return l == null
        ? new LinkStatus(LinkStatus.State.DOWN, transport.describe() + " not open", 0)
        : l.status().get();
  }

  @Override
  public void close() {
    closed = true;
    Transport.Link l = link;
    if (l != null) {
      try {
        l.close();
      } catch (IOException e) {
        org.slf4j.LoggerFactory.getLogger(ModbusScaleSource.class)
            .debug("closing {}: {}", name, e.toString());
      }
    }
  }

  /** Half-duplex Modbus over a transport link. */
  private static final class StreamLink implements ModbusLink {
    private final Transport.Link link;

    StreamLink(Transport.Link link) {
      this.link = link;
    }

    @Override
    public void send(byte[] request) throws IOException {
      InputStream in = link.in();
      int stale = in.available();
      if (stale > 0) {
        in.skipNBytes(stale);
      }
      link.out().write(request);
      link.out().flush();
    }

    @Override
    public int read(byte[] buf, int off, int len, long timeoutMillis) throws IOException {
      long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
      InputStream in = link.in();
      while (in.available() == 0) {
        if (System.nanoTime() > deadline) {
          return 0;
        }
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", e);
        }
      }
      return in.read(buf, off, Math.min(len, in.available()));
    }
  }
}
