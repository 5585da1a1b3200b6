package io.haulproof.drivers.gpsd;

import com.fasterxml.jackson.databind.JsonNode;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.GpsFix;
import io.haulproof.drivers.reading.MalformedFrameException;
import io.haulproof.drivers.reading.Stamp;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A gpsd client (TCP, default port 2947): sends {@code ?WATCH={"enable":true,"json":true};}, reads
 * one JSON report per line, turns TPV (with the SKY of the same epoch) into {@link GpsFix}es, and
 * reconnects after a lost connection. Lines over 64 KiB and malformed reports are rejected and
 * counted by reason; the loop never stops on bad input, nor on an exception from the sink.
 */
public final class GpsdClient implements AutoCloseable {
  public static final String WATCH = "?WATCH={\"enable\":true,\"json\":true};\n";
  private static final Logger LOG = LoggerFactory.getLogger(GpsdClient.class);
  private static final int MAX_LINE = 64 * 1024;

  private final InetSocketAddress address;
  private final String source;
  private final Supplier<Stamp> clock;
  private final Consumer<GpsFix> sink;
  private final DriverMetrics metrics;
  private final Duration reconnectDelay;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Socket socket;
  private GpsdJson.Sky lastSky;

  public GpsdClient(
      InetSocketAddress address,
      String source,
      Duration reconnectDelay,
      Supplier<Stamp> clock,
      Consumer<GpsFix> sink,
      DriverMetrics metrics) {
    this.address = Objects.requireNonNull(address, "address");
    this.source = Objects.requireNonNull(source, "source");
    this.reconnectDelay = Objects.requireNonNull(reconnectDelay, "reconnectDelay");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.thread = new Thread(this::loop, "gpsd-" + address);
    this.thread.setDaemon(true);
  }

  public GpsdClient start() {
    thread.start();
    return this;
  }

  private void loop() {
    while (running) {
      try (Socket s = new Socket()) {
        socket = s;
        s.connect(address, 10_000);
        OutputStream out = s.getOutputStream();
        out.write(WATCH.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        read(new BufferedInputStream(s.getInputStream()));
      } catch (IOException e) {
        if (running) {
          metrics.rejected("connection");
          LOG.warn("gpsd {}: {}; reconnecting in {}", address, e.toString(), reconnectDelay);
        }
      }
      if (running) {
        try {
          Thread.sleep(reconnectDelay.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void read(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    boolean overlong = false;
    int c;
    while (running && (c = in.read()) >= 0) {
      if (c != '\n') {
        if (line.size() < MAX_LINE) {
          line.write(c);
        } else {
          overlong = true;
        }
        continue;
      }
      if (overlong) {
        metrics.rejected("length");
      } else {
        handle(line.toString(StandardCharsets.UTF_8).strip());
      }
      line.reset();
      overlong = false;
    }
  }

  /**
   * Handles one report line (public for tests over recorded lines). It never throws: a malformed
   * report is counted under its reason, and any other exception (a fault of ours or of the sink,
   * never expected) is logged with its stack trace and counted as {@code fault}, so that one line
   * can never stop the reader thread.
   */
  public void handle(String line) {
    if (line.isEmpty()) {
      return;
    }
    try {
      JsonNode n = GpsdJson.parse(line);
      switch (GpsdJson.reportClass(n)) {
        case "TPV" -> sink.accept(GpsdJson.tpv(n, source, clock.get(), lastSky));
        case "SKY" -> lastSky = GpsdJson.sky(n);
        default -> {
          // VERSION, DEVICES, WATCH and others: valid, not needed
        }
      }
      metrics.accepted(); // after the sink, so a counted TPV has been delivered
    } catch (MalformedFrameException e) {
      metrics.rejected(e.reason());
    } catch (RuntimeException e) {
      metrics.rejected("fault");
      LOG.error("gpsd {}: report not handled, reader continues: {}", address, abbreviated(line), e);
    }
  }

  private static String abbreviated(String line) {
    return line.length() <= 200 ? line : line.substring(0, 200) + "… (" + line.length() + " chars)";
  }

  @Override
  public void close() throws IOException {
    running = false;
    Socket s = socket;
    if (s != null) {
      s.close();
    }
    thread.interrupt();
  }
}
