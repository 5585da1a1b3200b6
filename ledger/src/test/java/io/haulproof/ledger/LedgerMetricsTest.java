package io.haulproof.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.testing.SignedLog;
import io.haulproof.uplink.testing.TestPki;
import io.haulproof.uplink.wire.CheckpointMessage;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Prometheus exposition over a real SQLite ledger: ingest, lag, conflicts, rejects. */
class LedgerMetricsTest {
  private static final Instant T0 = Instant.parse("2026-12-04T10:00:00Z");
  @TempDir Path tmp;
  private Ledger ledger;
  private SignedLog log;
  private final Topics topics = new Topics("fleet-a", "truck-1");

  @BeforeEach
  void setUp() throws Exception {
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    DeviceRegistry registry = new DeviceRegistry(List.of(pki.caCertificate()), "fleet-a");
    log = new SignedLog("truck-1", 7);
    registry.add(pki.deviceCertificate("truck-1", log.key().publicKey()));
    ledger = TestLedgers.sqlite(tmp.resolve("data"), registry, Clock.fixed(T0, ZoneOffset.UTC));
  }

  @AfterEach
  void tearDown() throws Exception {
    ledger.close();
  }

  private String scrape(long secondsLater) throws Exception {
    return new LedgerMetrics(
            ledger, () -> true, Clock.fixed(T0.plusSeconds(secondsLater), ZoneOffset.UTC))
        .prometheus();
  }

  private static long value(String text, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (-?[0-9]+)$").matcher(text);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  @Test
  void prometheus_entriesBoundAndTruckSilent_ingestAndLastSeenSeconds() throws Exception {
    // given
    log.append(5);
    for (int i = 0; i < 5; i++) {
      ledger.acceptEntry(topics, Integer.toString(i), log.read(i));
    }
    String before = scrape(0);
    ledger.acceptCheckpoint(
        topics, new CheckpointMessage(log.checkpoint("fleet-a").wire(), 0, List.of()).encode());
    // when
    String after = scrape(42);
    // then
    assertThat(value(before, "haulproof_ledger_entries_stored_total")).isEqualTo(5);
    assertThat(value(before, "haulproof_ledger_entries_bound_total")).isZero();
    assertThat(value(after, "haulproof_ledger_entries_bound_total")).isEqualTo(5);
    String labels = "{fleet=\"fleet-a\",device=\"truck-1\"}";
    assertThat(value(after, "haulproof_ledger_device_last_seen_seconds" + labels)).isEqualTo(42);
    assertThat(value(after, "haulproof_ledger_device_bound" + labels)).isEqualTo(5);
    assertThat(value(after, "haulproof_ledger_device_lag" + labels)).isZero();
    assertThat(value(after, "haulproof_ledger_conflicts_total")).isZero();
    assertThat(after).doesNotContain("haulproof_ledger_rejects_total{reason=\"entry.bound\"}");
    assertThat(after).contains("# TYPE haulproof_ledger_entries_stored_total counter");
  }

  @Test
  void prometheus_conflictAndForgedEntry_countedByReasonAndEvidenceKind() throws Exception {
    // given an entry bound at index 0, then a different entry offered at index 0, then a forgery
    log.append(2);
    ledger.acceptEntry(topics, "0", log.read(0));
    ledger.acceptCheckpoint(
        topics, new CheckpointMessage(LedgerTest.sign(log, 1), 0, List.of()).encode());
    ledger.acceptEntry(topics, "0", log.read(1));
    byte[] b = log.read(1).toByteArray();
    b[b.length - 3] ^= 0x01;
    assertThatThrownBy(() -> ledger.acceptEntry(topics, "1", Bytes.wrap(b)))
        .isInstanceOf(Ledger.RejectedEntryException.class);
    // when
    String text = scrape(1);
    // then
    assertThat(value(text, "haulproof_ledger_conflicts_total")).isEqualTo(1);
    assertThat(value(text, "haulproof_ledger_evidence{kind=\"conflict\"}")).isEqualTo(1);
    assertThat(value(text, "haulproof_ledger_rejects_total{reason=\"entry.bad_signature\"}"))
        .isEqualTo(1);
    assertThat(text).doesNotContain("haulproof_ledger_rejects_total{reason=\"entry.conflict\"}");
    assertThat(value(text, "haulproof_ledger_events_total{event=\"entry.conflict\"}")).isEqualTo(1);
  }

  @Test
  void prometheus_deviceNeverSeen_noLastSeenSeries() throws Exception {
    // when
    String text = scrape(0);
    // then the device is known (certificate) but has sent nothing
    assertThat(text)
        .contains("haulproof_ledger_device_bound{fleet=\"fleet-a\",device=\"truck-1\"} 0");
    assertThat(text).doesNotContain("haulproof_ledger_device_last_seen_seconds{");
  }

  @Test
  void prometheus_laneQueueAndShed_gaugesAndCounterNotAReject() throws Exception {
    // given: 7 messages waiting on lanes bounded at 2,000, and two shed
    ledger.count("lane.shed");
    ledger.count("lane.shed");
    LedgerMetrics metrics =
        new LedgerMetrics(ledger, () -> true, () -> 7, 2_000, Clock.fixed(T0, ZoneOffset.UTC));
    // when
    String text = metrics.prometheus();
    // then
    assertThat(value(text, "haulproof_ledger_lane_queue_depth")).isEqualTo(7);
    assertThat(value(text, "haulproof_ledger_lane_queue_bound")).isEqualTo(2_000);
    assertThat(value(text, "haulproof_ledger_lane_shed_total")).isEqualTo(2);
    assertThat(text).contains("# TYPE haulproof_ledger_lane_queue_depth gauge");
    assertThat(text).contains("# TYPE haulproof_ledger_lane_shed_total counter");
    assertThat(text).doesNotContain("haulproof_ledger_rejects_total{reason=\"lane.shed\"}");
  }

  @Test
  void prometheus_withoutLanes_shedCounterAtZeroAndNoQueueGauge() throws Exception {
    String text = scrape(0);
    assertThat(value(text, "haulproof_ledger_lane_shed_total")).isZero();
    assertThat(text).doesNotContain("haulproof_ledger_lane_queue_depth");
  }
}
