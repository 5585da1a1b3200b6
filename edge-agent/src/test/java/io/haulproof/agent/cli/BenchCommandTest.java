package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.haulproof.agent.testing.CapturedOutput;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code haulproof bench ingest} in-process, on a small event count. */
class BenchCommandTest {
  @RegisterExtension final CapturedOutput captured = new CapturedOutput();
  private final ByteArrayOutputStream out = captured.out();

  @TempDir Path dir;

  @Test
  void ingest_twiceOnSameDir_appendsAndReportsAckedSeqs() throws Exception {
    // given
    Path data = dir.resolve("data");
    Path acked = dir.resolve("acked.txt");

    // when
    int first =
        Main.run(
            "bench",
            "ingest",
            "--data-dir",
            data.toString(),
            "--events",
            "60",
            "--acked",
            acked.toString(),
            "--sign-sample",
            "20");
    JsonNode summary = captured.lastJson();
    out.reset();
    int second =
        Main.run(
            "bench",
            "ingest",
            "--data-dir",
            data.toString(),
            "--events",
            "40",
            "--acked",
            acked.toString(),
            "--sign-sample",
            "20");

    // then
    assertThat(first).isZero();
    assertThat(second).isZero();
    assertThat(summary.get("events").asLong()).isEqualTo(60);
    assertThat(summary.has("seconds")).isTrue();
    assertThat(summary.has("events_per_s")).isTrue();
    List<Long> seqs = Files.readAllLines(acked).stream().map(Long::parseLong).toList();
    assertThat(seqs).isSorted();
    assertThat(seqs.get(seqs.size() - 1)).isEqualTo(100);
    assertThat(seqs).contains(60L);
  }

  @Test
  void ingest_negativeEvents_exits2() {
    int code =
        Main.run("bench", "ingest", "--data-dir", dir.resolve("d").toString(), "--events", "-1");

    assertThat(code).isEqualTo(2);
  }
}
