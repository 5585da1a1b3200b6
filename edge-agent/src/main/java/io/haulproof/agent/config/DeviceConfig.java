package io.haulproof.agent.config;

import java.nio.file.Path;

/**
 * Who this gateway is and where it keeps its evidence.
 *
 * @param id device id, used in MQTT topics and signed entries
 * @param fleet fleet id, the second level of the MQTT topic tree
 * @param vehicle vehicle id recorded in every collection event (a depot gateway uses its site id)
 * @param dataDir directory of the evidence log, keys and derived state
 */
public record DeviceConfig(String id, String fleet, String vehicle, String dataDir) {
  public DeviceConfig {
    Check.id("id", id);
    Check.id("fleet", fleet);
    vehicle = vehicle == null ? id : Check.id("vehicle", vehicle);
    dataDir = Check.orDefault(dataDir, "/var/lib/haulproof");
    if (dataDir.isBlank()) {
      throw new ConfigException("dataDir", "must not be blank");
    }
  }

  public Path dataPath() {
    return Path.of(dataDir);
  }
}
