package io.haulproof.agent.config;

import io.haulproof.agent.lift.LifterSide;
import java.util.Arrays;
import java.util.List;

/**
 * One RFID reader, mounted at one lifter.
 *
 * @param protocol {@code fdxb-uart}, {@code tiris-ascii}, {@code ti-binary} or {@code uhf-a0}
 * @param port where the reader is attached
 * @param lifter lifter id recorded in events read by this reader
 * @param side which lifter the antenna sits on
 * @param debounceMs repeated reads of one tag within this time count as one read
 */
public record RfidConfig(
    String protocol, PortConfig port, String lifter, LifterSide side, Long debounceMs) {
  public static final List<String> PROTOCOLS =
      List.of("fdxb-uart", "tiris-ascii", "ti-binary", "uhf-a0");

  public RfidConfig {
    protocol = Check.oneOf("protocol", protocol, null, PROTOCOLS);
    Check.required("port", port);
    if (side == null) {
      throw new ConfigException(
          "side", "is required, one of " + Arrays.toString(LifterSide.values()));
    }
    lifter =
        lifter == null ? side.name().toLowerCase().replace('_', '-') : Check.id("lifter", lifter);
    debounceMs = Check.range("debounceMs", debounceMs, 1500, 0, 60_000);
  }
}
