package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.haulproof.agent.testing.ChainVerifyRun;
import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.testing.TestChains;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, hole 7: {@code chain verify} (the real CLI, a child JVM from the fat jar) is read-only.
 * On a data dir on a tmpfs remounted read-only, with a torn tail and a damaged record (which an
 * opening writer would cut and quarantine), it runs, reports, and leaves every file byte for byte
 * as it was.
 */
class ChainVerifyReadOnlyIT {
  @TempDir Path dir;

  @Test
  void chainVerify_readOnlyDiskWithTornTail_validAndNothingChanged() throws Exception {
    Path disk = Files.createDirectories(dir.resolve("disk"));
    run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", disk.toString());
    try {
      // given: a chain whose last segment ends in a torn (never acknowledged) frame
      Path data = disk.resolve("data");
      build(data, 12);
      Path seg = lastSegment(data);
      Files.write(seg, new byte[] {0, 0, 0, 40, 1, 2, 3}, java.nio.file.StandardOpenOption.APPEND);
      run("mount", "-o", "remount,ro", disk.toString());
      TreeMap<String, String> before = digests(data);
      // when
      ChainVerifyRun out = ChainVerifyRun.of(data, dir);
      // then
      JsonNode last = out.last();
      assertThat(out.exit()).as(out.stderr()).isZero();
      assertThat(last.get("valid").asBoolean()).isTrue();
      assertThat(last.get("entries").asLong()).isEqualTo(12);
      assertThat(digests(data)).isEqualTo(before);
    } finally {
      run("umount", "-l", disk.toString());
    }
  }

  private static void build(Path data, int n) throws Exception {
    try (Lightchain chain =
        TestChains.open(data, SoftwareDeviceKey.generate(CoseAlgorithm.ES256), "truck-ro")) {
      TestChains.appendConfigs(chain, n);
    }
  }

  private static Path lastSegment(Path data) throws IOException {
    try (Stream<Path> s = Files.list(data.resolve("log"))) {
      return s.filter(p -> p.getFileName().toString().endsWith(".seg"))
          .sorted()
          .reduce((a, b) -> b)
          .orElseThrow();
    }
  }

  /** Every file under {@code root} (relative name → SHA-256 of its bytes). */
  private static TreeMap<String, String> digests(Path root) throws Exception {
    TreeMap<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(
            root.relativize(p).toString(),
            HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    }
    return out;
  }

  private static void run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue())
        .as("%s: %s", String.join(" ", command), new String(p.getInputStream().readAllBytes()))
        .isZero();
  }
}
