package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.haulproof.agent.testing.ChainVerifyRun;
import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.log.Appended;
import io.haulproof.lightchain.testing.SegmentDamage;
import io.haulproof.lightchain.testing.TestChains;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, "gaps covered by signed loss entries", through the real CLI: an entry damaged on disk
 * is a gap that {@code haulproof chain verify} rejects (exit 1) until the writer opens the log
 * again, quarantines the damage and signs a {@code loss} entry naming it; then verify accepts the
 * chain (exit 0) and reports the gap on stderr and in its last JSON line.
 */
class ChainVerifyGapIT {
  private static final int ENTRIES = 30;
  private static final int DAMAGED = 12;

  @TempDir Path dir;
  private final DeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);

  private Lightchain open(Path data) throws IOException {
    return TestChains.open(data, key, "truck-gap");
  }

  @Test
  void chainVerify_damagedEntryBeforeAndAfterTheWriterReopens_exit1ThenExit0ReportingTheGap()
      throws Exception {
    // given a closed chain with one entry damaged in its segment
    Path data = dir.resolve("data");
    List<Appended> acked;
    try (Lightchain chain = open(data)) {
      acked = TestChains.appendConfigs(chain, ENTRIES);
    }
    SegmentDamage.flipInside(data, acked.get(DAMAGED).cose());

    // when verified before the writer has seen the damage
    ChainVerifyRun before = ChainVerifyRun.of(data, dir);
    // then: no loss entry names the gap
    String reason =
        "entries " + DAMAGED + ".." + DAMAGED + " are lost and no signed loss entry names them";
    assertThat(before.exit()).as(before.stderr()).isEqualTo(1);
    assertThat(before.last().get("valid").asBoolean()).isFalse();
    assertThat(before.last().get("reason").asText()).isEqualTo(reason);
    assertThat(before.stderr()).contains("INVALID: " + reason);

    // when the writer opens the log (quarantine, signed loss entry) and closes, then verify again
    try (Lightchain chain = open(data)) {
      assertThat(chain.log().lossEntries()).hasSize(1);
    }
    ChainVerifyRun after = ChainVerifyRun.of(data, dir);

    // then
    assertThat(after.exit()).as(after.stderr()).isZero();
    JsonNode j = after.last();
    assertThat(j.get("valid").asBoolean()).isTrue();
    assertThat(j.get("entries").asLong()).isEqualTo(ENTRIES + 1);
    assertThat(j.get("covered_gaps").asInt()).isEqualTo(2);
    assertThat(j.get("gaps").toString())
        .isEqualTo(
            "[{\"kind\":\"entries\",\"first\":12,\"last\":12,\"loss_entries\":[30]},"
                + "{\"kind\":\"seqs\",\"device\":\"truck-gap\",\"first\":13,\"last\":13,"
                + "\"loss_entries\":[30]}]");
    assertThat(after.stderr())
        .contains(
            "haulproof chain verify: gap: entries 12..12 lost, named by the signed loss entry at"
                + " index 30")
        .contains(
            "haulproof chain verify: gap: seqs 13..13 of device truck-gap missing, named by the"
                + " signed loss entry at index 30");
  }
}
