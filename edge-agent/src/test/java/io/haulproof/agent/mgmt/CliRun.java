package io.haulproof.agent.mgmt;

import io.haulproof.agent.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs the CLI in-process and captures stdout (one JSON object per line). */
record CliRun(int exit, List<String> lines) {
  static synchronized CliRun of(String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      int exit = Main.run(args);
      capture.flush();
      String out = buf.toString(StandardCharsets.UTF_8);
      return new CliRun(exit, out.isBlank() ? List.of() : List.of(out.strip().split("\n")));
    } finally {
      System.setOut(saved);
    }
  }

  String last() {
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }
}
