package io.haulproof.agent.runtime;

import io.haulproof.agent.config.ConfigException;
import io.haulproof.lightchain.files.SecretFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DTLS pre-shared keys of the CoAP receiver ({@code remote.pskFile}): one {@code IDENTITY
 * HEXKEY} a line, {@code #} starts a comment. It holds secrets, so it must not be readable by group
 * or others (mode 0600); keys are never logged.
 */
public final class PskFile {
  private static final String REMOTE_KEY = "remote.pskFile";

  private PskFile() {}

  /** Loads the smart-bin receiver's keys ({@code remote.pskFile}). */
  public static Map<String, byte[]> load(Path file) {
    return load(file, REMOTE_KEY);
  }

  /**
   * Loads identities and keys; every problem names {@code setting} (the setting or flag), the file
   * and the line.
   */
  public static Map<String, byte[]> load(Path file, String setting) {
    List<String> lines;
    try {
      SecretFiles.exposure(file)
          .ifPresent(
              why -> {
                throw new ConfigException(setting, why);
              });
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      throw new ConfigException(setting, "cannot read " + file + ": " + e);
    }
    Map<String, byte[]> keys = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = file + " line " + (i + 1);
      String[] parts = line.split("\\s+");
      if (parts.length != 2) {
        throw new ConfigException(
            setting, where + ": want IDENTITY HEXKEY, got " + parts.length + " fields");
      }
      byte[] key;
      try {
        key = HexFormat.of().parseHex(parts[1]);
      } catch (IllegalArgumentException e) {
        throw new ConfigException(setting, where + ": key of " + parts[0] + " is not hex");
      }
      if (key.length < 16) {
        throw new ConfigException(
            setting,
            where + ": key of " + parts[0] + " has " + key.length + " bytes, want at least 16");
      }
      if (keys.put(parts[0], key) != null) {
        throw new ConfigException(setting, where + ": identity " + parts[0] + " listed twice");
      }
    }
    if (keys.isEmpty()) {
      throw new ConfigException(setting, file + " lists no IDENTITY HEXKEY line");
    }
    return keys;
  }
}
