package io.haulproof.agent.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;

/**
 * Machine output of the CLI: one JSON object per line on stdout, flushed at once so a reader
 * (technician tool, acceptance check) sees each line as it is written.
 */
final class JsonLines {
  static final ObjectMapper JSON = new ObjectMapper();

  private JsonLines() {}

  /** A new, empty JSON object to fill and {@link #print}. */
  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** Writes {@code value} (a map, record or JSON node) as one line on stdout. */
  static void print(Object value) {
    String line;
    try {
      line = JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "cannot write " + value.getClass().getName() + " as JSON", e);
    }
    PrintStream out = System.out;
    out.println(line);
    out.flush();
  }
}
