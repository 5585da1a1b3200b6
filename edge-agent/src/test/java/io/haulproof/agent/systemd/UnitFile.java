package io.haulproof.agent.systemd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads settings from a systemd unit file (last assignment wins, comments skipped), for the
 * packaging tests.
 */
record UnitFile(List<String> lines) {
  static UnitFile read(Path path) throws IOException {
    return new UnitFile(Files.readAllLines(path));
  }

  /** Every value assigned to {@code key}, in order. */
  List<String> all(String key) {
    List<String> values = new ArrayList<>();
    for (String raw : lines) {
      String line = raw.strip();
      if (line.startsWith("#") || line.startsWith(";")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq > 0 && line.substring(0, eq).strip().equals(key)) {
        values.add(line.substring(eq + 1).strip());
      }
    }
    return values;
  }

  /** The effective value of {@code key}; fails if unset. */
  String get(String key) {
    List<String> values = all(key);
    if (values.isEmpty()) {
      throw new AssertionError("unit has no " + key + "=");
    }
    return values.get(values.size() - 1);
  }
}
