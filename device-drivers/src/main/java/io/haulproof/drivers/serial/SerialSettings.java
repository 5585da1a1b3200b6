package io.haulproof.drivers.serial;

import java.time.Duration;
import java.util.Objects;

/**
 * Serial line settings.
 *
 * @param port device path, e.g. {@code /dev/ttyUSB0} or {@code /dev/serial/by-id/…}
 * @param parity 0 none, 1 odd, 2 even (jSerialComm constants)
 * @param idleGap silence after which the framer is told the line is idle
 * @param reconnectDelay wait before reopening a port that went away (unplugged)
 */
public record SerialSettings(
    String port,
    int baud,
    int dataBits,
    int parity,
    int stopBits,
    Duration idleGap,
    Duration reconnectDelay) {
  public SerialSettings {
    Objects.requireNonNull(port, "port");
    if (baud < 50
        || baud > 4_000_000
        || dataBits < 5
        || dataBits > 8
        || parity < 0
        || parity > 2
        || stopBits < 1
        || stopBits > 3) {
      throw new IllegalArgumentException(
          "bad serial settings "
              + baud
              + " "
              + dataBits
              + " parity "
              + parity
              + " stop "
              + stopBits);
    }
    Objects.requireNonNull(idleGap, "idleGap");
    Objects.requireNonNull(reconnectDelay, "reconnectDelay");
  }

  /** 8N1 at {@code baud}, 200 ms idle gap, 1 s reconnect delay. */
  public static SerialSettings of(String port, int baud) {
    return new SerialSettings(port, baud, 8, 0, 1, Duration.ofMillis(200), Duration.ofSeconds(1));
  }
}
