package io.haulproof.drivers.serial;

import com.fazecast.jSerialComm.SerialPort;
import io.haulproof.drivers.reading.ByteSink;
import io.haulproof.drivers.reading.DriverMetrics;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A serial port read by one daemon thread through jSerialComm: bytes go to a {@link ByteSink} (a framer), silence of
 * {@link SerialSettings#idleGap} is reported as idle, and a port that fails or disappears (USB adapter unplugged) is
 * closed and reopened after {@link SerialSettings#reconnectDelay}, for as long as the source runs.
 */
public final class SerialByteSource implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SerialByteSource.class);

  private final SerialSettings settings;
  private final ByteSink sink;
  private final DriverMetrics metrics;
  private final Thread thread;
  private volatile boolean running = true;
  private volatile SerialPort port;
  private volatile boolean open;

  public SerialByteSource(SerialSettings settings, ByteSink sink, DriverMetrics metrics) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.sink = Objects.requireNonNull(sink, "sink");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.thread = new Thread(this::loop, "serial-" + settings.port());
    this.thread.setDaemon(true);
  }

  public SerialByteSource start() {
    thread.start();
    return this;
  }

  /** True while the port is open. */
  public boolean isOpen() {
    return open;
  }

  /** Writes a command (MT-SICS, Modbus request); returns false if the port is not open. */
  public boolean write(byte[] data) {
    SerialPort p = port;
    return p != null && open && p.writeBytes(data, data.length) == data.length;
  }

  private void loop() {
    byte[] buf = new byte[512];
    while (running) {
      SerialPort p = SerialPort.getCommPort(settings.port());
      p.setComPortParameters(settings.baud(), settings.dataBits(), settings.stopBits(), settings.parity());
      p.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, 50, 0);
      if (!p.openPort()) {
        metrics.rejected("open-failed");
        sleep(settings.reconnectDelay().toMillis());
        continue;
      }
      port = p;
      open = true;
      LOG.info("serial {} open at {} baud", settings.port(), settings.baud());
      long lastData = System.nanoTime();
      boolean idleSent = true;
      try {
        while (running) {
          int n = p.readBytes(buf, buf.length);
          if (n < 0) {
            metrics.rejected("port-lost");
            LOG.warn("serial {} lost (read returned {}), reopening", settings.port(), n);
            break;
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
      } finally {
        open = false;
        p.closePort();
      }
      if (running) {
        sleep(settings.reconnectDelay().toMillis());
      }
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
