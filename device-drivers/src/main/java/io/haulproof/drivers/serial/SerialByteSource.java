package io.haulproof.drivers.serial;

import com.fazecast.jSerialComm.SerialPort;
import io.haulproof.drivers.reading.ByteSink;
import io.haulproof.drivers.reading.DriverMetrics;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A serial port read by one daemon thread through jSerialComm: bytes go to a {@link ByteSink} (a
 * framer), silence of {@link SerialSettings#idleGap} is reported as idle, and a port that is
 * missing, fails or disappears (USB adapter unplugged) is retried with backoff from {@link
 * SerialSettings#reconnectDelay} up to {@link #MAX_BACKOFF}, for as long as the source runs.
 *
 * <p>The port is opened by the configured path only: jSerialComm rewrites a missing {@code
 * /x/y/ttyUSB9} to {@code /dev/ttyUSB9} (and throws, or opens that other device if it exists), so a
 * missing path is never handed to it, and a port jSerialComm resolved elsewhere than the path's
 * real target is refused. No exception ends the reader thread silently: failures become {@link
 * PortState.Reconnecting}, an {@link Error} becomes {@link PortState.Failed} (see {@link
 * #loopHealthy()}); each state change is logged once.
 */
public final class SerialByteSource implements AutoCloseable {
  /** The longest wait between two attempts to open a missing or failing port. */
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(SerialByteSource.class);
  private static final long STALL_GRACE_NANOS = Duration.ofSeconds(30).toNanos();

  private final SerialSettings settings;
  private final ByteSink sink;
  private final DriverMetrics metrics;
  private final Thread thread;
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean running = true;
  private volatile SerialPort port;
  private volatile PortState state = new PortState.Opening();
  private volatile long lastBeat = System.nanoTime();

  public SerialByteSource(SerialSettings settings, ByteSink sink, DriverMetrics metrics) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.thread = new Thread(this::run, "serial-" + settings.port());
    this.thread.setDaemon(true);
  }

  public SerialByteSource start() {
    thread.start();
    return this;
  }

  /** The configured device path. */
  public String path() {
    return settings.port();
  }

  /** True while the port is open. */
  public boolean isOpen() {
    return state.open();
  }

  /** The port's current state. */
  public PortState state() {
    return state;
  }

  /** Failed open attempts and lost ports since start. */
  public long failures() {
    return failures.get();
  }

  /**
   * False when the reader thread died or has not looped for longer than the backoff allows (stuck
   * in a sink): a liveness failure, unlike a missing port.
   */
  public boolean loopHealthy() {
    if (!running || state instanceof PortState.Closed) {
      return true;
    }
    if (state instanceof PortState.Failed) {
      return false;
    }
    if (thread.getState() != Thread.State.NEW && !thread.isAlive()) {
      return false;
    }
    return System.nanoTime() - lastBeat
        < Math.max(MAX_BACKOFF.toNanos(), settings.reconnectDelay().toNanos()) + STALL_GRACE_NANOS;
  }

  /** Writes a command (MT-SICS, Modbus request); returns false if the port is not open. */
  public boolean write(byte[] data) {
    SerialPort p = port;
    return p != null && state.open() && p.writeBytes(data, data.length) == data.length;
  }

  private void run() {
    try {
      loop();
    } catch (Throwable e) {
      // An Error (or a bug here): the thread ends, but says so; health turns this into a liveness
      // failure.
      state = new PortState.Failed(e.toString());
      LOG.error("serial {}: reader thread died", settings.port(), e);
      if (e instanceof Error err) {
        throw err;
      }
    }
  }

  private void loop() {
    byte[] buf = new byte[512];
    long consecutive = 0;
    while (running) {
      lastBeat = System.nanoTime();
      String reason;
      try {
        reason = readWhileOpen(buf);
      } catch (RuntimeException | IOException e) {
        metrics.rejected("read-failed");
        reason = "failed: " + e;
      }
      if (reason == null || !running) {
        break;
      }
      if (reason.isEmpty()) {
        consecutive = 0; // was open, lost: retry soon
        reason = "port lost";
      }
      consecutive++;
      failures.incrementAndGet();
      long delay = backoff(consecutive);
      change(new PortState.Reconnecting(reason, consecutive, delay));
      sleep(delay);
    }
    change(new PortState.Closed());
  }

  /**
   * Opens the port and reads until it fails; returns the reason it could not open, "" when an open
   * port was lost, or null when closed on request.
   */
  private String readWhileOpen(byte[] buf) throws IOException {
    SerialPort p;
    try {
      p = ConfiguredPort.of(settings.port());
    } catch (NoSuchFileException e) {
      metrics.rejected("port-missing");
      return "port missing";
    } catch (IOException e) {
      metrics.rejected("open-failed");
      return e.getMessage();
    }
    p.setComPortParameters(
        settings.baud(), settings.dataBits(), settings.stopBits(), settings.parity());
    p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 50, 0);
    if (!p.openPort()) {
      metrics.rejected("open-failed");
      return "cannot open (errno " + p.getLastErrorCode() + ")";
    }
    port = p;
    change(new PortState.Open());
    long lastData = System.nanoTime();
    boolean idleSent = true;
    try {
      while (running) {
        lastBeat = System.nanoTime();
        int n = p.readBytes(buf, buf.length);
        if (n < 0) {
          metrics.rejected("port-lost");
          return "";
        }
        if (n > 0) {
          sink.feed(buf, 0, n);
          lastData = System.nanoTime();
          idleSent = false;
        } else if (!idleSent && System.nanoTime() - lastData > settings.idleGap().toNanos()) {
          sink.idle();
          idleSent = true;
        }
      }
      return null;
    } finally {
      port = null;
      p.closePort();
    }
  }

  private long backoff(long consecutive) {
    long base = Math.max(1, settings.reconnectDelay().toMillis());
    long cap = Math.max(base, MAX_BACKOFF.toMillis());
    int shift = (int) Math.min(20, consecutive - 1);
    return Math.min(cap, base << shift);
  }

  /** Logs once per change of kind or reason, not per retry. */
  private void change(PortState next) {
    PortState prev = state;
    state = next;
    boolean same =
        prev.getClass() == next.getClass()
            && (!(prev instanceof PortState.Reconnecting a)
                || a.reason().equals(((PortState.Reconnecting) next).reason()));
    if (same) {
      return;
    }
    if (next instanceof PortState.Open) {
      LOG.info("serial {} open at {} baud", settings.port(), settings.baud());
    } else if (next instanceof PortState.Reconnecting r) {
      LOG.warn(
          "serial {}: {}; retrying with backoff up to {} ms",
          settings.port(),
          r.reason(),
          backoff(64));
    } else {
      LOG.info("serial {}: {}", settings.port(), next.describe());
    }
  }

  private void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
