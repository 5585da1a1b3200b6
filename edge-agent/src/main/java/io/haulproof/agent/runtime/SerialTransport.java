package io.haulproof.agent.runtime;

import io.haulproof.agent.config.PortConfig;
import io.haulproof.drivers.reading.ByteSink;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.serial.SerialByteSource;
import io.haulproof.drivers.serial.SerialSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A serial port (or pty) through the drivers' jSerialComm adapter: its reader thread pushes bytes into a pipe that
 * the sensor source reads; writes go to the port (MT-SICS polls). The adapter reopens an unplugged port by itself.
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
    ByteSink sink = (data, off, n) -> {
      byte[] copy = new byte[n];
      System.arraycopy(data, off, copy, 0, n);
      pipe.write(copy);
    };
    SerialByteSource source =
        new SerialByteSource(SerialSettings.of(port.path(), port.baud()), sink, new DriverMetrics(describe())).start();
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
    return new Link(in, out);
  }
}
