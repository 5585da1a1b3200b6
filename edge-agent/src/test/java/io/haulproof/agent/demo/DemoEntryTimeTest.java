package io.haulproof.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.haulproof.lightchain.ChainReader;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.entry.EntryKind;
import io.haulproof.lightchain.entry.TimeSource;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo stamps entry headers through the same entry clock as {@code haulproof run}. */
class DemoEntryTimeTest {
  @TempDir Path dir;

  @Test
  void demo_simulatedValidGnssTrack_collectionEntryHeadersSayGnss() throws Exception {
    // given
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    DemoRunner demo = new DemoRunner(new PrintStream(progress, true, StandardCharsets.UTF_8));
    Instant before = Instant.now();
    // when
    DemoRunner.Summary summary =
        assertTimeoutPreemptively(
            Duration.ofSeconds(240),
            () -> demo.run(new DemoRunner.Options(3, dir.resolve("data"), null, 240, 7)));
    // then
    assertThat(summary.verified()).as(summary.reason()).isTrue();
    List<Entry> collections = new ArrayList<>();
    try (ChainReader reader = ChainReader.open(dir.resolve("data"))) {
      for (long i = 0; i < reader.size(); i++) {
        Entry e = EntryCodec.decode(CoseSign1.decode(reader.read(i)));
        if (e.kind() == EntryKind.collection) {
          collections.add(e);
        }
      }
    }
    assertThat(collections).hasSize(3);
    assertThat(collections)
        .allSatisfy(
            e -> {
              assertThat(e.header().timeSource()).isEqualTo(TimeSource.GNSS);
              assertThat(e.header().timeUncertaintyMs()).isEqualTo(1_000);
              assertThat(e.header().wallTimeMillis())
                  .isBetween(before.toEpochMilli(), Instant.now().toEpochMilli() + 60_000);
            });
  }
}
