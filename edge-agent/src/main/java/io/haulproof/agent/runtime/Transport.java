package io.haulproof.agent.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * How a sensor's bytes arrive: a serial port, a pty, or an in-memory stream in the demo and tests.
 *
 * <p>Implementations over jSerialComm live in {@code io.haulproof.drivers.serial}; this interface keeps the runtime
 * free of it.
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
   */
  record Link(InputStream in, OutputStream out) implements AutoCloseable {
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
