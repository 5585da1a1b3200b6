package io.haulproof.agent.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One run of the real {@code haulproof chain verify} (a child JVM from the fat jar, {@code
 * -Xmx64m}): its exit code, stdout lines and stderr.
 */
public record ChainVerifyRun(int exit, List<String> stdout, String stderr) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Verifies {@code data}, keeping the output files in {@code work}. */
  public static ChainVerifyRun of(Path data, Path work) throws IOException, InterruptedException {
    Path out = work.resolve("verify.out");
    Path err = work.resolve("verify.err");
    Process p =
        new ProcessBuilder(
                "java",
                "-Xmx64m",
                "-jar",
                "target/haulproof.jar",
                "chain",
                "verify",
                "--data-dir",
                data.toString())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
          "chain verify did not finish within 120 s: " + Files.readString(err));
    }
    return new ChainVerifyRun(p.exitValue(), Files.readAllLines(out), Files.readString(err));
  }

  /** The last line of stdout, as JSON. */
  public JsonNode last() throws IOException {
    if (stdout.isEmpty()) {
      throw new AssertionError("chain verify printed nothing; stderr: " + stderr);
    }
    return JSON.readTree(stdout.get(stdout.size() - 1));
  }
}
