package io.haulproof.lightchain.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.entry.LossBody;
import io.haulproof.lightchain.entry.LossReason;
import io.haulproof.lightchain.testing.TestEntries;
import io.haulproof.lightchain.verify.CoveredGap.Kind;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Gaps and the signed loss entries that name them, on in-memory chains (docs/chain.md, "Gaps and
 * loss entries"). The on-disk path through quarantine is in {@code LossGapVerifyTest}.
 */
class ChainVerifierGapTest {
  private static final DeviceKey KEY =
      SoftwareDeviceKey.generate(CoseAlgorithm.ES256, new SecureRandom(new byte[] {12}));

  /** What the loss entry after a run of lost entries names, and what verify must then say. */
  enum Mode {
    EXACT,
    TWO_ENTRIES_TILING,
    NO_LOSS_ENTRY,
    INDICES_ONLY,
    FEWER_SEQS,
    MORE_SEQS,
    FEWER_INDICES,
    MORE_INDICES
  }

  static Stream<Arguments> seeds() {
    return LongStream.range(0, 3L * Mode.values().length)
        .mapToObj(s -> Arguments.of(s, Mode.values()[(int) (s % Mode.values().length)]));
  }

  private static LossBody loss(OptionalLong firstIndex, OptionalLong lastIndex, long[] seqs) {
    return new LossBody(
        LossReason.CRC_MISMATCH,
        "00000000000000000000.seg",
        100,
        400,
        firstIndex,
        lastIndex,
        seqs == null ? OptionalLong.empty() : OptionalLong.of(seqs[0]),
        seqs == null ? OptionalLong.empty() : OptionalLong.of(seqs[1]),
        Optional.of("quarantine/x"),
        Optional.of("bad frame"));
  }

  private static LossBody loss(long a, long b, long[] seqs) {
    return loss(OptionalLong.of(a), OptionalLong.of(b), seqs);
  }

  @ParameterizedTest(name = "seed {0}: {1}")
  @MethodSource("seeds")
  void verify_lostRunAndLossEntry_validExactlyWhenNamedInFull(long seed, Mode mode)
      throws IOException {
    // given n entries (seqs 1..n), a run a..b of them lost, and what the writer's next open logged
    Random rnd = new Random(seed);
    int n = 20 + rnd.nextInt(100);
    int len = 2 + rnd.nextInt(4);
    long a = 1 + rnd.nextInt(n - len - 1);
    long b = a + len - 1;
    TestChain c = TestChain.of(KEY, n);
    for (long i = a; i <= b; i++) {
      c.lost.add(i);
    }
    long seq = n + 1;
    long[] seqs = {a + 1, b + 1};
    List<LossBody> statements =
        switch (mode) {
          case EXACT -> List.of(loss(a, b, seqs));
          case TWO_ENTRIES_TILING ->
              List.of(
                  loss(a, a, new long[] {a + 1, a + 1}), loss(a + 1, b, new long[] {a + 2, b + 1}));
          case NO_LOSS_ENTRY -> List.of();
          case INDICES_ONLY -> List.of(loss(a, b, null));
          case FEWER_SEQS -> List.of(loss(a, b, new long[] {a + 1, b}));
          case MORE_SEQS -> List.of(loss(a, b, new long[] {a + 1, b + 2}));
          case FEWER_INDICES -> List.of(loss(a, b - 1, seqs));
          case MORE_INDICES -> List.of(loss(a - 1, b, seqs));
        };
    for (LossBody s : statements) {
      c.entries.add(TestEntries.signed(KEY, "truck-1", 2, seq++, s));
    }
    for (int i = rnd.nextInt(20); i > 0; i--) {
      c.entries.add(TestEntries.signed(KEY, "truck-1", 2, seq++));
    }
    c.seal(1 + rnd.nextInt(30));

    // when
    VerificationResult r = c.verify();

    // then
    String gap = "entries " + a + ".." + b + " are lost and ";
    String seqGap = "gap in seq: seq " + (b + 2) + ", want " + (a + 1);
    switch (mode) {
      case EXACT, TWO_ENTRIES_TILING -> {
        assertThat(r.reason()).isEmpty();
        List<Long> by = mode == Mode.EXACT ? List.of((long) n) : List.of((long) n, (long) n + 1);
        assertThat(r.coveredGaps())
            .containsExactly(
                new CoveredGap(Kind.ENTRIES, Optional.empty(), a, b, by),
                new CoveredGap(Kind.SEQS, Optional.of("truck-1"), a + 1, b + 1, by));
        assertThat(r.entries()).isEqualTo(c.size());
        assertThat(r.root()).isEqualTo(c.rootAt(c.size()));
      }
      case NO_LOSS_ENTRY ->
          assertThat(r.reason().orElseThrow()).isEqualTo(gap + "no signed loss entry names them");
      case INDICES_ONLY ->
          assertThat(r.reason().orElseThrow())
              .startsWith("entry " + (b + 1) + " of device truck-1: " + seqGap)
              .endsWith("no signed loss entry names them");
      case FEWER_SEQS ->
          assertThat(r.reason().orElseThrow())
              .contains(seqGap)
              .endsWith("signed loss entries name only part of them (" + (a + 1) + ".." + b + ")");
      case MORE_SEQS ->
          assertThat(r.reason().orElseThrow())
              .isEqualTo(
                  "loss entry at index "
                      + n
                      + " names seqs "
                      + (a + 1)
                      + ".."
                      + (b + 2)
                      + " of device truck-1 as lost, but the missing seqs are only "
                      + (a + 1)
                      + ".."
                      + (b + 1));
      case FEWER_INDICES ->
          assertThat(r.reason().orElseThrow())
              .isEqualTo(
                  gap + "signed loss entries name only part of them (" + a + ".." + (b - 1) + ")");
      case MORE_INDICES ->
          assertThat(r.reason().orElseThrow())
              .isEqualTo(
                  "loss entry at index "
                      + n
                      + " names entries "
                      + (a - 1)
                      + ".."
                      + b
                      + " as lost, but the lost entries there are only "
                      + a
                      + ".."
                      + b);
    }
    assertThat(r.valid()).isEqualTo(r.reason().isEmpty());
  }

  @Test
  void verify_seqsSkippedWithoutLostEntries_invalidUnlessNamed() throws IOException {
    // given a device that skipped seqs 6..7 (no entry of the log is lost)
    TestChain c = TestChain.of(KEY, 5);
    c.entries.add(TestEntries.signed(KEY, "truck-1", 1, 8));
    assertThat(c.verify().reason().orElseThrow())
        .isEqualTo(
            "entry 5 of device truck-1: gap in seq: seq 8, want 6 (seqs 6..7 missing), and no"
                + " signed loss entry names them");
    // when the device names them in a signed loss entry
    c.entries.add(
        TestEntries.signed(
            KEY,
            "truck-1",
            1,
            9,
            loss(OptionalLong.empty(), OptionalLong.empty(), new long[] {6, 7})));
    // then
    VerificationResult r = c.seal(4).verify();
    assertThat(r.reason()).isEmpty();
    assertThat(r.coveredGaps())
        .containsExactly(new CoveredGap(Kind.SEQS, Optional.of("truck-1"), 6, 7, List.of(6L)));
    assertThat(r.coveredGaps().get(0).describe())
        .isEqualTo(
            "seqs 6..7 of device truck-1 missing, named by the signed loss entry at index 6");
  }

  @Test
  void verify_lossEntryNamingSeqsThatArePresent_invalidAsInconsistent() throws IOException {
    TestChain c = TestChain.of(KEY, 10);
    c.entries.add(
        TestEntries.signed(
            KEY,
            "truck-1",
            1,
            11,
            loss(OptionalLong.empty(), OptionalLong.empty(), new long[] {3, 4})));
    assertThat(c.verify().reason().orElseThrow())
        .isEqualTo(
            "loss entry at index 10 names seqs 3..4 of device truck-1 as lost, but the chain holds"
                + " each of these seqs");
  }

  @Test
  void verify_lostEntryWhoseStoredLeafWasReplaced_blockRootFails() throws IOException {
    // given entry 4 lost and named, but the stored tree holds a different leaf for it
    TestChain c = TestChain.of(KEY, 10);
    c.lost.add(4L);
    c.entries.add(TestEntries.signed(KEY, "truck-1", 1, 11, loss(4, 4, new long[] {5, 5})));
    c.seal(5);
    c.storedLeaves.put(4L, EntrySource.LOST_LEAF);
    // when / then: the signed root over it does not recompute
    assertThat(c.verify().reason().orElseThrow())
        .startsWith("block 0: ")
        .contains("wrong tree_root");
  }

  @Test
  void verify_lossEntryNamingIndicesAfterItself_coversNothingAndIsValid() throws IOException {
    // given the statement a writer makes for a vanished tail whose indices it gives again
    TestChain c = TestChain.of(KEY, 6);
    c.entries.add(TestEntries.signed(KEY, "truck-1", 1, 7, loss(6, 9, null)));
    // when
    VerificationResult r = c.seal(3).verify();
    // then
    assertThat(r.reason()).isEmpty();
    assertThat(r.coveredGaps()).isEmpty();
  }

  @Test
  void verify_lossEntryRangeReachingPastItself_invalid() throws IOException {
    TestChain c = TestChain.of(KEY, 6);
    c.entries.add(TestEntries.signed(KEY, "truck-1", 1, 7, loss(5, 7, null)));
    assertThat(c.verify().reason().orElseThrow())
        .isEqualTo("loss entry at index 6 names entries 5..7 as lost, past itself");
  }

  @Test
  void verify_lostFirstEntries_coveredWithSeqsFromOne() throws IOException {
    TestChain c = TestChain.of(KEY, 8);
    c.lost.add(0L);
    c.lost.add(1L);
    c.entries.add(TestEntries.signed(KEY, "truck-1", 1, 9, loss(0, 1, new long[] {1, 2})));
    VerificationResult r = c.seal(4).verify();
    assertThat(r.reason()).isEmpty();
    assertThat(r.coveredGaps()).hasSize(2);
  }

  @Test
  void lostLeaf_isTheWritersLostLeaf() {
    assertThat(EntrySource.LOST_LEAF).isEqualTo(io.haulproof.lightchain.log.TreeSync.LOST_LEAF);
  }

  @Test
  void lossCoverage_moreGapsThanTheBound_failsNamingTheBound() {
    LossCoverage gaps = new LossCoverage();
    for (long i = 0; i < LossCoverage.MAX_GAPS; i++) {
      assertThat(gaps.lost(2 * i)).isEmpty();
      gaps.readable();
    }
    assertThat(gaps.lost(2L * LossCoverage.MAX_GAPS).orElseThrow())
        .isEqualTo(
            "more than 10000 gaps in the chain (the next at entry 20000); verification stops to"
                + " bound its memory");
  }
}
