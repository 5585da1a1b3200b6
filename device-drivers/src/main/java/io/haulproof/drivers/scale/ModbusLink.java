package io.haulproof.drivers.scale;

import java.io.IOException;

/** A half-duplex byte link to a Modbus RTU slave (a serial port in production). */
public interface ModbusLink {
  /** Discards anything pending, then writes the request. */
  void send(byte[] request) throws IOException;

  /** Reads up to {@code len} bytes, waiting at most {@code timeoutMillis}; returns 0 on timeout. */
  int read(byte[] buf, int off, int len, long timeoutMillis) throws IOException;
}
