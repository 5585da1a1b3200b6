package io.haulproof.agent.systemd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command-line tool for the *IT tests and captures its exit code and merged output. */
record Tool(int exitCode, String output) {
  /** The repository root (tests run with edge-agent as the working directory). */
  static final Path REPO = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();

  static Tool run(Path workDir, List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(workDir, "tool", ".out");
    Process p =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError(command + " did not finish within 5 minutes");
    }
    return new Tool(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }

  static Tool run(Path workDir, String... command) throws IOException, InterruptedException {
    return run(workDir, List.of(command));
  }
}
