package io.haulproof.agent.provision.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** One JSON object per line on stdout (the CLI contract); diagnostics go to stderr. */
final class JsonOut {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonOut() {}

  static void print(Map<String, ?> object) {
    try {
      System.out.println(JSON.writeValueAsString(object));
      System.out.flush();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Prints a JSON document received from a device as one line (re-serialised to strip whitespace).
   */
  static void printRaw(byte[] json) {
    try {
      System.out.println(JSON.writeValueAsString(JSON.readTree(json)));
      System.out.flush();
    } catch (java.io.IOException e) {
      System.err.println(
          "haulproof provision: the device answered with invalid JSON: " + e.getMessage());
    }
  }

  static Map<?, ?> parse(byte[] json) throws java.io.IOException {
    return JSON.readValue(json, Map.class);
  }
}
