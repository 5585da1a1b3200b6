package io.haulproof.agent.config;

/**
 * A configuration value is missing, unknown or out of range; the message names the key and the
 * problem.
 */
public final class ConfigException extends RuntimeException {
  private final String key;

  public ConfigException(String key, String problem) {
    super(key + ": " + problem);
    this.key = key;
  }

  /** The dotted path of the offending key, for example {@code scale.baud}. */
  public String key() {
    return key;
  }

  /** The same problem, with {@code prefix} prepended to the key path. */
  ConfigException under(String prefix) {
    if (prefix.isEmpty()) {
      return this;
    }
    String problem = getMessage().substring(key.length() + 2);
    return new ConfigException(key.isEmpty() ? prefix : prefix + "." + key, problem);
  }
}
