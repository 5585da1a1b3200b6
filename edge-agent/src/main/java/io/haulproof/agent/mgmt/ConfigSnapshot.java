package io.haulproof.agent.mgmt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One version of the managed configuration: flat keys (e.g. {@code scale.rear.filter}, {@code
 * calibration.rear.span}) mapped to text values.
 *
 * <p>Its canonical form is JSON with sorted keys, UTF-8; that is the content stored in snapshots
 * and in {@code config} log entries, so the hash of a snapshot is the hash of what was logged.
 */
public record ConfigSnapshot(long version, SortedMap<String, String> values) {
  /** Config keys: lowercase dotted names; no control characters reach the log or the runtime. */
  public static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,127}");

  public static final int MAX_VALUE = 1024;
  public static final int MAX_KEYS = 1024;
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  public ConfigSnapshot {
    if (version < 0) {
      throw new IllegalArgumentException("negative config version " + version);
    }
    if (values.size() > MAX_KEYS) {
      throw new IllegalArgumentException(
          "config has " + values.size() + " keys, want at most " + MAX_KEYS);
    }
    for (Map.Entry<String, String> e : values.entrySet()) {
      requireKey(e.getKey());
      requireValue(e.getKey(), e.getValue());
    }
    values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
  }

  public static String requireKey(String key) {
    if (key == null || !KEY.matcher(key).matches()) {
      throw new IllegalArgumentException("bad config key \"" + key + "\", want " + KEY.pattern());
    }
    return key;
  }

  public static void requireValue(String key, String value) {
    if (value == null
        || value.length() > MAX_VALUE
        || value.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new IllegalArgumentException(
          "bad value for " + key + ": want at most " + MAX_VALUE + " printable characters");
    }
  }

  /** Only the keys under {@code prefix} (e.g. "calibration."). */
  public SortedMap<String, String> section(String prefix) {
    SortedMap<String, String> out = new TreeMap<>();
    values.forEach(
        (k, v) -> {
          if (k.startsWith(prefix)) {
            out.put(k, v);
          }
        });
    return out;
  }

  public static Bytes canonical(SortedMap<String, String> values) {
    try {
      return Bytes.wrap(JSON.writeValueAsBytes(values));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a string map always serialises", e);
    }
  }

  public Bytes canonical() {
    return canonical(values);
  }

  public Hash hash() {
    return Hash.sha256(canonical());
  }

  /** Parses the canonical form back; used when reading snapshots. */
  public static SortedMap<String, String> parse(byte[] json) throws IOException {
    Map<?, ?> raw = JSON.readValue(json, Map.class);
    SortedMap<String, String> out = new TreeMap<>();
    for (Map.Entry<?, ?> e : raw.entrySet()) {
      if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof String v)) {
        throw new IOException("config snapshot holds a non-text key or value at " + e.getKey());
      }
      out.put(k, v);
    }
    return out;
  }
}
