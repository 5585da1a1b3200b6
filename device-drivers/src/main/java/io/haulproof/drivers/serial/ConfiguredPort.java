package io.haulproof.drivers.serial;

import com.fazecast.jSerialComm.SerialPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Gets a jSerialComm port for exactly the configured path. {@code SerialPort.getCommPort} rewrites
 * a path that does not exist to {@code /dev/} plus its last name ({@code /tmp/x/ttyUSB9} to {@code
 * /dev/ttyUSB9}, {@code /dev/rfid/ttyUSB0} to {@code /dev/ttyUSB0}) and would open that other
 * device if it exists; so a missing path is reported here and never handed to it, and a port it
 * resolved elsewhere than the path's real target is refused.
 */
final class ConfiguredPort {
  private ConfiguredPort() {}

  /**
   * The port for {@code path} (symbolic links such as {@code /dev/serial/by-id/…} followed).
   *
   * @throws NoSuchFileException if nothing exists at {@code path}
   * @throws IOException if jSerialComm resolved it to another device
   */
  static SerialPort of(String path) throws IOException {
    Path configured = Path.of(path);
    if (!Files.exists(configured)) {
      throw new NoSuchFileException(path, null, "port missing");
    }
    String real = configured.toRealPath().toString();
    SerialPort p;
    try {
      p = SerialPort.getCommPort(real);
    } catch (RuntimeException e) { // SerialPortInvalidPortException: it vanished in between
      throw new NoSuchFileException(path, null, "port missing (" + e.getMessage() + ")");
    }
    if (!real.equals(p.getSystemPortPath())) {
      throw new IOException(
          "jSerialComm resolved "
              + path
              + " to "
              + p.getSystemPortPath()
              + ", expected "
              + real
              + "; refused");
    }
    return p;
  }
}
