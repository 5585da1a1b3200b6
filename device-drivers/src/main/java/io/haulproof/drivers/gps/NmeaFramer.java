package io.haulproof.drivers.gps;

import io.haulproof.drivers.reading.DriverMetrics;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Cuts a byte stream from a GNSS receiver into candidate NMEA sentences ({@code $…} up to CR or
 * LF).
 *
 * <p>Bytes outside a sentence (binary protocols such as UBX or SiRF, noise) are skipped and
 * counted. A sentence longer than the buffer, or one interrupted by a new {@code $} or a
 * non-printable byte, is dropped and counted; the buffer never grows beyond {@link
 * NmeaOptions#HARD_MAX_LENGTH}.
 */
public final class NmeaFramer {
  private final byte[] buf = new byte[NmeaOptions.HARD_MAX_LENGTH + 1];
  private final Consumer<String> sink;
  private final DriverMetrics metrics;
  private int len = -1; // -1: outside a sentence
  private boolean overflow;

  public NmeaFramer(Consumer<String> sink, DriverMetrics metrics) {
    this.sink = Objects.requireNonNull(sink, "sink");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  public void feed(byte[] data, int off, int n) {
    for (int i = off; i < off + n; i++) {
      feed(data[i]);
    }
  }

  public void feed(byte[] data) {
    feed(data, 0, data.length);
  }

  private void feed(byte b) {
    int c = b & 0xFF;
    if (c == '$') {
      if (len > 0) {
        metrics.rejected("truncated");
      }
      len = 0;
      overflow = false;
      buf[len++] = b;
      return;
    }
    if (len < 0) {
      if (c != '\r' && c != '\n') {
        metrics.skipped(1);
      }
      return;
    }
    if (c == '\r' || c == '\n') {
      if (overflow) {
        metrics.rejected("length");
      } else {
        sink.accept(new String(buf, 0, len, StandardCharsets.US_ASCII));
      }
      len = -1;
      return;
    }
    if (c < 0x20 || c > 0x7E) {
      metrics.rejected("charset");
      metrics.skipped(len + 1L);
      len = -1;
      return;
    }
    if (len == buf.length) {
      overflow = true;
      return;
    }
    buf[len++] = b;
  }
}
