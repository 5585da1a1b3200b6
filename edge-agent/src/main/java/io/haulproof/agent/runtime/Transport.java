package io.haulproof.agent.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How a sensor's bytes arrive: a serial port, a pty, or an in-memory stream in the demo and tests.
 *
 * <p>Implementations over jSerialComm live in {@code io.haulproof.drivers.serial}; this interface
 * keeps the runtime free of it.
 */
public interface Transport {
  /** Where the bytes come from, for messages, e.g. {@code /dev/ttyUSB0@9600}. */
  String describe();

  /** Blocking: opens the link. */
  Link open() throws IOException;

  /**
   * An open link; closing it unblocks a pending read.
   *
   * @param in bytes from the device
   * @param out bytes to the device (polling protocols such as MT-SICS and Modbus)
   * @param status the transport's own view of the port (open, reconnecting, reader dead), read by
   *     health checks
   */
  record Link(InputStream in, OutputStream out, Supplier<LinkStatus> status)
      implements AutoCloseable {
    public Link {
      Objects.requireNonNull(in, "in");
      Objects.requireNonNull(out, "out");
      Objects.requireNonNull(status, "status");
    }

    /** A link that cannot tell its state (in-memory pipes): always up. */
    public Link(InputStream in, OutputStream out) {
      this(in, out, () -> LinkStatus.up("open"));
    }

    @Override
    public void close() throws IOException {
      try {
        in.close();
      } finally {
        out.close();
      }
    }
  }
}
