package io.haulproof.lightchain;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.entry.LossBody;
import io.haulproof.lightchain.entry.LossReason;
import io.haulproof.lightchain.log.Appended;
import io.haulproof.lightchain.log.LogOptions;
import io.haulproof.lightchain.log.SegmentedLog;
import io.haulproof.lightchain.testing.SegmentDamage;
import io.haulproof.lightchain.testing.TestChains;
import io.haulproof.lightchain.testing.TestEntries;
import io.haulproof.lightchain.verify.CoveredGap;
import io.haulproof.lightchain.verify.CoveredGap.Kind;
import io.haulproof.lightchain.verify.VerificationResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code chain verify} on real data dirs: a gap made by the product's own quarantine path (damage
 * found when the writer opens the log, a signed {@code loss} entry) verifies and is reported; a gap
 * that no loss entry names, or one a loss entry names wrongly, does not (docs/chain.md, "Gaps and
 * loss entries").
 */
class LossGapVerifyTest {
  private static final String ORIGIN = Checkpoint.originFor("fleet-1", "truck-7");
  private static final int ENTRIES = 40;
  private final DeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);

  @TempDir Path dir;

  private Lightchain open(LogOptions log) throws IOException {
    return Lightchain.open(
        dir,
        key,
        "truck-7",
        LightchainOptions.defaults(ORIGIN).withBlocks(5, 3_600_000).withLog(log));
  }

  /** Appends {@code n} entries, closes (which seals every entry into a block) and returns them. */
  private List<Appended> write(int n, LogOptions log) throws Exception {
    try (Lightchain chain = open(log)) {
      return TestChains.appendConfigs(chain, n);
    }
  }

  /** What {@code haulproof chain verify} runs: read-only, nothing changed. */
  private VerificationResult audit() throws IOException {
    try (ChainAudit a = ChainAudit.open(dir)) {
      return a.verify(n -> {});
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void verify_entryDamagedThenWriterReopened_validAndReportsTheNamedGap(long seed)
      throws Exception {
    // given a closed chain with one entry damaged in its segment
    List<Appended> acked = write(ENTRIES, LogOptions.defaults());
    int d = 1 + new Random(seed).nextInt(ENTRIES - 2);
    SegmentDamage.flipInside(dir, acked.get(d).cose());
    // when the writer opens the log again (quarantine + signed loss entry) and closes
    try (Lightchain chain = open(LogOptions.defaults())) {
      assertThat(chain.log().lossEntries()).hasSize(1);
      chain.flush().get(60, TimeUnit.SECONDS);
      // then the in-process verification accepts it
      assertThat(chain.verify(n -> {}).reason()).isEmpty();
    }
    // then chain verify accepts the chain and reports the gap, twice over (entries and seqs)
    VerificationResult r = audit();
    assertThat(r.reason()).isEmpty();
    assertThat(r.entries()).isEqualTo(ENTRIES + 1);
    assertThat(r.coveredGaps())
        .containsExactly(
            new CoveredGap(Kind.ENTRIES, Optional.empty(), d, d, List.of((long) ENTRIES)),
            new CoveredGap(
                Kind.SEQS, Optional.of("truck-7"), d + 1, d + 1, List.of((long) ENTRIES)));
    try (Stream<Path> q = Files.list(dir.resolve("quarantine"))) {
      assertThat(q.count()).isEqualTo(1);
    }
  }

  @Test
  void verify_entryDamagedAfterTheWritersLastOpen_invalidNamingTheUncoveredGap() throws Exception {
    // given damage the writer has not seen yet (no loss entry names it)
    List<Appended> acked = write(ENTRIES, LogOptions.defaults());
    SegmentDamage.flipInside(dir, acked.get(17).cose());
    // when
    VerificationResult r = audit();
    // then
    assertThat(r.valid()).isFalse();
    assertThat(r.reason().orElseThrow())
        .isEqualTo("entries 17..17 are lost and no signed loss entry names them");
    assertThat(dir.resolve("quarantine")).doesNotExist();
  }

  @Test
  void verify_newestSegmentDeletedThenWriterReopened_validWithTheLostSeqsNamed() throws Exception {
    // given small segments, and the newest one deleted while the writer was stopped
    LogOptions small = LogOptions.defaults().withSegmentBytes(4096);
    write(ENTRIES, small);
    List<Path> segs;
    try (Stream<Path> s = Files.list(dir.resolve("log"))) {
      segs = s.filter(p -> p.toString().endsWith(".seg")).sorted().toList();
    }
    assertThat(segs).hasSizeGreaterThan(1);
    Path newest = segs.get(segs.size() - 1);
    long firstGone = Long.parseLong(newest.getFileName().toString().substring(0, 20));
    Files.delete(newest);
    // when
    try (Lightchain chain = open(small)) {
      assertThat(chain.log().lossEntries()).hasSize(1);
    }
    // then: only the entry before the gap was readable when the loss entry was made, and it shows
    // the lost seqs
    VerificationResult r = audit();
    assertThat(r.reason()).isEmpty();
    assertThat(r.coveredGaps())
        .containsExactly(
            new CoveredGap(
                Kind.ENTRIES, Optional.empty(), firstGone, ENTRIES - 1, List.of((long) ENTRIES)),
            new CoveredGap(
                Kind.SEQS,
                Optional.of("truck-7"),
                firstGone + 1,
                ENTRIES,
                List.of((long) ENTRIES)));
  }

  @Test
  void verify_seqSkippedThroughTheRecordLog_invalidUntilALossEntryNamesExactlyIt()
      throws Exception {
    // given a chain of 10, then an entry with seq 12 written straight to the record log (a writer
    // that skipped seq 11)
    write(10, LogOptions.defaults());
    append(TestEntries.signed(key, "truck-7", 99, 12));
    assertThat(audit().reason().orElseThrow())
        .isEqualTo(
            "entry 10 of device truck-7: gap in seq: seq 12, want 11 (seqs 11..11 missing), and no"
                + " signed loss entry names them");
    // when a signed loss entry names more seqs than are missing
    append(TestEntries.signed(key, "truck-7", 99, 13, lossOfSeqs(11, 12)));
    // then it is inconsistent
    assertThat(audit().reason().orElseThrow())
        .isEqualTo(
            "loss entry at index 11 names seqs 11..12 of device truck-7 as lost, but the missing"
                + " seqs are only 11..11");
  }

  @Test
  void verify_seqSkippedAndNamedExactly_valid() throws Exception {
    write(10, LogOptions.defaults());
    append(TestEntries.signed(key, "truck-7", 99, 12));
    append(TestEntries.signed(key, "truck-7", 99, 13, lossOfSeqs(11, 11)));
    VerificationResult r = audit();
    assertThat(r.reason()).isEmpty();
    assertThat(r.coveredGaps())
        .containsExactly(new CoveredGap(Kind.SEQS, Optional.of("truck-7"), 11, 11, List.of(11L)));
  }

  private void append(Bytes entry) throws Exception {
    try (SegmentedLog records = SegmentedLog.open(dir, LogOptions.defaults())) {
      records.append(entry).get(60, TimeUnit.SECONDS);
    }
  }

  private static LossBody lossOfSeqs(long first, long last) {
    return new LossBody(
        LossReason.SEQUENCE_GAP,
        "(none)",
        0,
        0,
        OptionalLong.empty(),
        OptionalLong.empty(),
        OptionalLong.of(first),
        OptionalLong.of(last),
        Optional.empty(),
        Optional.of("test"));
  }
}
