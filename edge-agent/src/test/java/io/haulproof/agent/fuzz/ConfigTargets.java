package io.haulproof.agent.fuzz;

import io.haulproof.agent.config.ConfigException;
import io.haulproof.agent.config.ConfigLoader;
import io.haulproof.lightchain.fuzz.Allocation;
import io.haulproof.lightchain.fuzz.FuzzTarget;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Fuzz target for the agent's YAML configuration: a file is accepted or refused with a {@link
 * ConfigException} naming the setting, nothing else escapes, and a small file cannot make the
 * loader allocate without bound (YAML aliases, deep nesting).
 */
final class ConfigTargets {
  private static final ConfigLoader LOADER = new ConfigLoader();

  private ConfigTargets() {}

  static List<FuzzTarget> all() {
    return List.of(new FuzzTarget("AgentConfigYaml", ConfigTargets::yaml, ConfigTargets::seeds));
  }

  static void yaml(byte[] data) throws Exception {
    String text = new String(data, StandardCharsets.UTF_8);
    Allocation.atMost(
        4 * 1024 * 1024,
        512,
        data.length,
        () -> {
          try {
            LOADER.parse(text);
          } catch (ConfigException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
              throw new AssertionError("refusal without a message", e);
            }
          }
        });
  }

  /** The shipped example configs. */
  private static List<byte[]> seeds() throws Exception {
    Path dir = Path.of("config");
    List<byte[]> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        out.add(Files.readAllBytes(p));
      }
    }
    return out;
  }
}
