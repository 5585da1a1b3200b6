package io.haulproof.agent.config;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The allow-list of registered bins; lifts of bins not on it, or not due today, are recorded as
 * blocked.
 *
 * @param enforce when false every tag is accepted (a depot gateway has no lifter to stop)
 * @param registered the registered bins
 */
public record BinsConfig(Boolean enforce, List<BinConfig> registered) {
  public BinsConfig {
    enforce = Check.orDefault(enforce, true);
    registered = List.copyOf(Check.orDefault(registered, List.of()));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < registered.size(); i++) {
      if (registered.get(i) == null) {
        throw new ConfigException("registered[" + i + "]", "must not be empty");
      }
      if (!seen.add(registered.get(i).id())) {
        throw new ConfigException(
            "registered[" + i + "].id", "duplicate bin id \"" + registered.get(i).id() + "\"");
      }
    }
  }

  public static BinsConfig defaults() {
    return new BinsConfig(null, null);
  }
}
