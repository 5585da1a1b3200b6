package io.haulproof.agent.mgmt;

import io.haulproof.agent.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Runs the CLI in-process and captures stdout (one JSON object per line). */
record CliRun(int exit, List<String> lines, String stderr) {
  static synchronized CliRun of(String... args) {
    PrintStream saved = System.out;
    PrintStream savedErr = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8);
        PrintStream captureErr = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      System.setErr(captureErr);
      int exit = Main.run(args);
      capture.flush();
      String out = buf.toString(StandardCharsets.UTF_8);
      String errText = err.toString(StandardCharsets.UTF_8);
      savedErr.print(errText);
      return new CliRun(
          exit, out.isBlank() ? List.of() : List.of(out.strip().split("\n")), errText);
    } finally {
      System.setOut(saved);
      System.setErr(savedErr);
    }
  }

  String last() {
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }
}
