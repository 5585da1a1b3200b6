package io.haulproof.agent.runtime;

import io.haulproof.agent.config.PortConfig;
import io.haulproof.drivers.reading.ByteSink;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.serial.PortState;
import io.haulproof.drivers.serial.SerialByteSource;
import io.haulproof.drivers.serial.SerialSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A serial port (or pty) through the drivers' jSerialComm adapter: its reader thread pushes bytes
 * into a pipe that the sensor source reads; writes go to the port (MT-SICS polls). The adapter
 * opens a missing port once it appears and reopens an unplugged one by itself; {@link
 * Link#status()} reports its state for health.
 */
public final class SerialTransport implements Transport {
  private final PortConfig port;

  public SerialTransport(PortConfig port) {
    this.port = port;
  }

  @Override
  public String describe() {
    return port.path() + "@" + port.baud();
  }

  @Override
  public Link open() throws IOException {
    PipeTransport pipe = new PipeTransport(describe());
    ByteSink sink =
        (data, off, n) -> {
          byte[] copy = new byte[n];
          System.arraycopy(data, off, copy, 0, n);
          pipe.write(copy);
        };
    SerialByteSource source =
        new SerialByteSource(
                SerialSettings.of(port.path(), port.baud()), sink, new DriverMetrics(describe()))
            .start();
    OutputStream out =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) throws IOException {
            byte[] copy = new byte[len];
            System.arraycopy(b, off, copy, 0, len);
            if (!source.write(copy)) {
              throw new IOException(describe() + " is not open");
            }
          }

          @Override
          public void close() throws IOException {
            try {
              source.close();
            } finally {
              pipe.end();
            }
          }
        };
    Link link = pipe.open(out);
    InputStream in = link.in();
    return new Link(in, out, () -> status(source));
  }

  /** The serial source's state as a {@link LinkStatus}, naming the port. */
  private LinkStatus status(SerialByteSource source) {
    PortState s = source.state();
    String detail = describe() + " " + s.describe();
    LinkStatus.State state;
    if (s instanceof PortState.Failed) {
      state = LinkStatus.State.DEAD;
    } else if (!source.loopHealthy()) {
      state = LinkStatus.State.DEAD;
      detail = describe() + " reader thread stuck or dead (" + s.describe() + ")";
    } else {
      state = s.open() ? LinkStatus.State.UP : LinkStatus.State.DOWN;
    }
    return new LinkStatus(state, detail, source.failures());
  }
}
