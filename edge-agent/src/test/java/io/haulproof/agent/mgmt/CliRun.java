package io.haulproof.agent.mgmt;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.agent.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

  /**
   * Runs {@code provision mgmt --device DEVICE --op OP EXTRA... --broker BROKER --ca-dir CA_DIR}
   * (option order does not matter to picocli).
   */
  static CliRun mgmt(String device, String op, String broker, String caDir, String... extra) {
    List<String> args =
        new ArrayList<>(List.of("provision", "mgmt", "--device", device, "--op", op));
    args.addAll(List.of(extra));
    args.addAll(List.of("--broker", broker, "--ca-dir", caDir));
    return of(args.toArray(String[]::new));
  }

  /**
   * Runs {@code provision enroll --device DEVICE --claim CODE --broker BROKER --ca-dir CA_DIR
   * EXTRA...} (option order does not matter to picocli).
   */
  static CliRun enroll(String device, String code, String broker, String caDir, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "provision",
                "enroll",
                "--device",
                device,
                "--claim",
                code,
                "--broker",
                broker,
                "--ca-dir",
                caDir));
    args.addAll(List.of(extra));
    return of(args.toArray(String[]::new));
  }

  /** Runs {@code provision claim --device DEVICE --out OUT} and returns the printed claim code. */
  static String claimCode(String device, Path out) throws IOException {
    CliRun run = of("provision", "claim", "--device", device, "--out", out.toString());
    return (String) new ObjectMapper().readValue(run.last(), Map.class).get("claim");
  }

  String last() {
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }
}
