package io.haulproof.agent.config;

/**
 * A serial port (or pty) a sensor is attached to.
 *
 * @param path device path such as {@code /dev/ttyUSB0}
 * @param baud line speed, 8N1 assumed
 */
public record PortConfig(String path, Integer baud) {
  public PortConfig {
    Check.required("path", path);
    if (!path.startsWith("/")) {
      throw new ConfigException("path", "must be an absolute device path, got \"" + path + "\"");
    }
    baud = Check.range("baud", baud, 9600, 1200, 921_600);
  }
}
