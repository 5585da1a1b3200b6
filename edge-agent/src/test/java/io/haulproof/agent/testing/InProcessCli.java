package io.haulproof.agent.testing;

import io.haulproof.agent.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a {@code haulproof} command in this JVM ({@link Main#run}) with its standard output
 * captured, for tests that drive the technician's side ({@code provision …}) next to an agent wired
 * in process. One lock for all callers: {@link System#out} is global.
 */
public final class InProcessCli {
  private InProcessCli() {}

  /** The exit code (as text), then the lines the command printed on standard output. */
  public static synchronized List<String> run(String... args) {
    PrintStream out = System.out;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      int code = Main.run(args);
      List<String> lines = new ArrayList<>(o.toString(StandardCharsets.UTF_8).lines().toList());
      lines.add(0, Integer.toString(code));
      return lines;
    } finally {
      System.setOut(out);
    }
  }
}
