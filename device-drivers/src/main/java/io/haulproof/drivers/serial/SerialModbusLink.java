package io.haulproof.drivers.serial;

import com.fazecast.jSerialComm.SerialPort;
import io.haulproof.drivers.scale.ModbusLink;
import java.io.IOException;
import java.util.Objects;

/**
 * A {@link ModbusLink} over a serial port (RS-485 adapter) through jSerialComm, for {@code
 * ModbusIndicatorClient}. The port is opened on first use and reopened after an error (adapter
 * unplugged). One request at a time.
 */
public final class SerialModbusLink implements ModbusLink, AutoCloseable {
  private final SerialSettings settings;
  private SerialPort port;

  public SerialModbusLink(SerialSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  private SerialPort port() throws IOException {
    if (port == null || !port.isOpen()) {
      SerialPort p = ConfiguredPort.of(settings.port());
      p.setComPortParameters(
          settings.baud(), settings.dataBits(), settings.stopBits(), settings.parity());
      if (!p.openPort()) {
        throw new IOException("cannot open " + settings.port() + ": error " + p.getLastErrorCode());
      }
      port = p;
    }
    return port;
  }

  @Override
  public synchronized void send(byte[] request) throws IOException {
    SerialPort p = port();
    int stale = p.bytesAvailable();
    if (stale > 0) {
      p.readBytes(
          new byte[stale],
          stale); // a late reply to an earlier request must not be taken for this one
    }
    if (p.writeBytes(request, request.length) != request.length) {
      close();
      throw new IOException("short write to " + settings.port());
    }
  }

  @Override
  public synchronized int read(byte[] buf, int off, int len, long timeoutMillis)
      throws IOException {
    SerialPort p = port();
    p.setComPortTimeouts(
        SerialPort.TIMEOUT_READ_SEMI_BLOCKING,
        (int) Math.max(1, Math.min(timeoutMillis, Integer.MAX_VALUE)),
        0);
    int n = p.readBytes(buf, len, off);
    if (n < 0) {
      close();
      throw new IOException("read from " + settings.port() + " failed (port lost)");
    }
    return n;
  }

  @Override
  public synchronized void close() {
    if (port != null) {
      port.closePort();
      port = null;
    }
  }
}
