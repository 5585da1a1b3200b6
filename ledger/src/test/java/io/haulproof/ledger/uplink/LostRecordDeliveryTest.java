package io.haulproof.ledger.uplink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.haulproof.ledger.DeviceLedger;
import io.haulproof.ledger.DeviceRegistry;
import io.haulproof.ledger.Ledger;
import io.haulproof.ledger.TestLedgers;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.checkpoint.CheckpointSigner;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.entry.EntryHeader;
import io.haulproof.lightchain.entry.LossBody;
import io.haulproof.lightchain.entry.LossReason;
import io.haulproof.lightchain.entry.SampleEntries;
import io.haulproof.lightchain.entry.TimeSource;
import io.haulproof.lightchain.log.EvidenceLog;
import io.haulproof.lightchain.log.LogOptions;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.outbox.CursorFile;
import io.haulproof.uplink.outbox.OutboundEntry;
import io.haulproof.uplink.outbox.Outbox;
import io.haulproof.uplink.source.EvidenceLogSource;
import io.haulproof.uplink.testing.TestPki;
import io.haulproof.uplink.wire.CheckpointMessage;
import io.haulproof.uplink.wire.LostEntryMessage;
import io.haulproof.uplink.wire.ReceiptMessage;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A record the log quarantined does not stall delivery: the outbox sends a lost placeholder and the
 * ledger records a gap.
 */
class LostRecordDeliveryTest {
  static final String DEVICE = "truck-0042";

  @TempDir Path tmp;
  private final Topics topics = new Topics("fleet-a", DEVICE);

  @Test
  void outbox_quarantinedMiddleRecord_drainsPastIt_andLedgerRecordsGap() throws Exception {
    // given a log of 30 entries whose middle record is damaged, reopened (quarantine + loss entry)
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    Path data = tmp.resolve("data");
    try (EvidenceLog log = EvidenceLog.open(data, key, DEVICE, LogOptions.defaults())) {
      for (int i = 0; i < 29; i++) {
        log.append(SampleEntries.collection());
      }
      log.append(SampleEntries.collection()).get();
    }
    Path seg;
    try (var files = java.nio.file.Files.list(data.resolve("log"))) {
      List<Path> segs = files.filter(p -> p.toString().endsWith(".seg")).toList();
      assertThat(segs).hasSize(1);
      seg = segs.get(0);
    }
    try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
      long at = f.length() / 2;
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0xff);
    }
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    DeviceRegistry registry = new DeviceRegistry(List.of(pki.caCertificate()), "fleet-a");
    registry.add(pki.deviceCertificate(DEVICE, key.publicKey()));
    try (EvidenceLog log = EvidenceLog.open(data, key, DEVICE, LogOptions.defaults());
        Ledger ledger = TestLedgers.sqlite(tmp.resolve("ledger"), registry, Clock.systemUTC())) {
      List<Long> lost = new ArrayList<>();
      for (long i = 0; i < log.size(); i++) {
        if (log.records().isLost(i)) {
          lost.add(i);
        }
      }
      assertThat(lost).isNotEmpty();
      assertThat(log.lossEntries()).hasSize(1);
      long size = log.size();
      EvidenceLogSource src = new EvidenceLogSource(log, data);
      List<OutboundEntry> sent = new CopyOnWriteArrayList<>();
      Outbox o =
          new Outbox(
              src,
              e -> {
                sent.add(e);
                try {
                  if (e.isLost()) {
                    ledger.acceptLost(topics, Long.toString(e.index()), e.cose());
                  } else {
                    ledger.acceptEntry(topics, Long.toString(e.index()), e.cose());
                  }
                  return CompletableFuture.completedFuture(null);
                } catch (Exception ex) {
                  return CompletableFuture.failedFuture(ex);
                }
              },
              new CursorFile(tmp.resolve("cursor")),
              Outbox.Settings.defaults());
      // when
      assertTimeoutPreemptively(
          Duration.ofSeconds(90),
          () -> {
            o.start();
            Await.until(
                () -> o.cursor() == size, Duration.ofSeconds(60), () -> "cursor " + o.cursor());
          });
      o.close();
      // then: each index sent once, lost ones as placeholders carrying the device's leaf hash
      assertThat(sent)
          .extracting(OutboundEntry::index)
          .containsExactlyElementsOf(java.util.stream.LongStream.range(0, size).boxed().toList());
      assertThat(o.lostSent()).isEqualTo(lost.size());
      DeviceLedger d = ledger.device(topics);
      assertThat(d.stored()).as("nothing bound before the device's checkpoint").isZero();
      String cpNote =
          new CheckpointSigner(key)
              .sign(
                  new Checkpoint(
                      Checkpoint.originFor("fleet-a", DEVICE), size, log.tree().root(size)))
              .encode();
      assertThat(
              ledger.acceptCheckpoint(topics, new CheckpointMessage(cpNote, 0, List.of()).encode()))
          .isInstanceOf(ReceiptMessage.Cosigned.class);
      // the device-signed loss entry names the lost index, so the gap is bound with the rest
      assertThat(d.stored()).isEqualTo(size);
      for (long i = 0; i < size; i++) {
        if (lost.contains(i)) {
          assertThat(sent.get((int) i).isLost()).isTrue();
          assertThat(LostEntryMessage.decode(sent.get((int) i).cose()).leaf())
              .isEqualTo(log.tree().leafHash(i));
          assertThat(d.isLost(i)).as("gap at %d", i).isTrue();
          assertThat(d.leafHash(i)).isEqualTo(log.tree().leafHash(i));
        } else {
          assertThat(d.isLost(i)).isFalse();
          assertThat(d.entry(i)).isEqualTo(log.read(i));
        }
      }
      assertThat(d.root(size)).isEqualTo(log.tree().root(size));
      // and the device's checkpoint over the whole log, gap included, is cosigned
      String note =
          new CheckpointSigner(key)
              .sign(
                  new Checkpoint(
                      Checkpoint.originFor("fleet-a", DEVICE), size, log.tree().root(size)))
              .encode();
      assertThat(
              ledger.acceptCheckpoint(topics, new CheckpointMessage(note, 0, List.of()).encode()))
          .isInstanceOf(ReceiptMessage.Cosigned.class);
    }
  }

  @Test
  void ledger_lostPlaceholderNamingOtherIndex_rejected() throws Exception {
    // given
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    DeviceRegistry registry = new DeviceRegistry(List.of(pki.caCertificate()), "fleet-a");
    registry.add(pki.deviceCertificate(DEVICE, key.publicKey()));
    try (Ledger ledger = TestLedgers.sqlite(tmp.resolve("ledger"), registry, Clock.systemUTC())) {
      Bytes msg = new LostEntryMessage(3, Hash.of(new byte[32])).encode();
      // when / then
      assertThatThrownBy(() -> ledger.acceptLost(topics, "0", msg))
          .isInstanceOf(Ledger.RejectedEntryException.class)
          .hasMessageContaining("index 3");
      assertThatThrownBy(() -> ledger.acceptLost(topics, "0", Bytes.wrap(new byte[] {1, 2})))
          .isInstanceOf(Ledger.RejectedEntryException.class);
      assertThatThrownBy(() -> ledger.acceptLost(new Topics("fleet-a", "truck-9"), "3", msg))
          .isInstanceOf(Ledger.RejectedEntryException.class);
      assertThat(ledger.device(topics).stored()).isZero();
    }
  }

  private static Bytes lossEntry(SoftwareDeviceKey key, long seq, long lostIndex) {
    EntryHeader s = SampleEntries.header(seq);
    EntryHeader h =
        new EntryHeader(DEVICE, 1, seq, s.wallTimeMillis(), TimeSource.GNSS, 50, s.uptimeMillis());
    LossBody body =
        new LossBody(
            LossReason.CRC_MISMATCH,
            "00000000.seg",
            10,
            20,
            OptionalLong.of(lostIndex),
            OptionalLong.of(lostIndex),
            OptionalLong.empty(),
            OptionalLong.empty(),
            Optional.empty(),
            Optional.of("test"));
    return EntryCodec.sign(key, new Entry(h, body)).encoded();
  }

  private Ledger openLedger(DeviceRegistry registry) {
    try {
      return TestLedgers.sqlite(tmp.resolve("ledger"), registry, Clock.systemUTC());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Bytes checkpoint(io.haulproof.uplink.testing.SignedLog log, long size) {
    String note =
        new CheckpointSigner(log.key())
            .sign(new Checkpoint(Checkpoint.originFor("fleet-a", DEVICE), size, log.root(size)))
            .encode();
    return new CheckpointMessage(note, 0, List.of()).encode();
  }

  @Test
  void ledger_gapWithSignedLossEntry_boundAndSurvivesRestartWithSameRoot() throws Exception {
    // given entries 0 and 2, a gap at 1 carrying the device's leaf hash, and the device's signed
    // loss entry at 3 naming index 1
    io.haulproof.uplink.testing.SignedLog log =
        new io.haulproof.uplink.testing.SignedLog(DEVICE, 7);
    log.append(3);
    log.appendRaw(lossEntry(log.key(), 4, 1));
    Hash leaf1 = io.haulproof.lightchain.merkle.Rfc9162.leafHash(log.read(1));
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    DeviceRegistry registry = new DeviceRegistry(List.of(pki.caCertificate()), "fleet-a");
    registry.add(pki.deviceCertificate(DEVICE, log.key().publicKey()));
    try (Ledger ledger = openLedger(registry)) {
      ledger.acceptEntry(topics, "2", log.read(2));
      ledger.acceptEntry(topics, "0", log.read(0));
      ledger.acceptEntry(topics, "3", log.read(3));
      assertThat(ledger.acceptLost(topics, "1", new LostEntryMessage(1, leaf1).encode()))
          .isEqualTo(DeviceLedger.Outcome.BUFFERED);
      assertThat(ledger.acceptLost(topics, "1", new LostEntryMessage(1, leaf1).encode()))
          .isEqualTo(DeviceLedger.Outcome.DUPLICATE);
      assertThat(ledger.acceptCheckpoint(topics, checkpoint(log, 4)))
          .isInstanceOf(ReceiptMessage.Cosigned.class);
    }
    // when
    try (Ledger ledger = openLedger(registry)) {
      DeviceLedger d = ledger.device(topics);
      // then
      assertThat(d.stored()).isEqualTo(4);
      assertThat(d.isLost(1)).isTrue();
      assertThat(d.isLost(2)).isFalse();
      assertThat(d.entry(2)).isEqualTo(log.read(2));
      assertThat(d.root(4)).isEqualTo(log.root(4));
      assertThat(ledger.acceptEntry(topics, "1", log.read(1)))
          .isEqualTo(DeviceLedger.Outcome.CONFLICT);
    }
  }

  @Test
  void ledger_lostPlaceholderWithoutLossEntry_neverBound() throws Exception {
    // given entries 0 and 2 and an unsigned lost placeholder at 1 that matches the device's tree,
    // but no signed loss entry names index 1
    io.haulproof.uplink.testing.SignedLog log =
        new io.haulproof.uplink.testing.SignedLog(DEVICE, 7);
    log.append(3);
    Hash leaf1 = io.haulproof.lightchain.merkle.Rfc9162.leafHash(log.read(1));
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    DeviceRegistry registry = new DeviceRegistry(List.of(pki.caCertificate()), "fleet-a");
    registry.add(pki.deviceCertificate(DEVICE, log.key().publicKey()));
    try (Ledger ledger = openLedger(registry)) {
      ledger.acceptEntry(topics, "0", log.read(0));
      ledger.acceptLost(topics, "1", new LostEntryMessage(1, leaf1).encode());
      ledger.acceptEntry(topics, "2", log.read(2));
      // when
      ReceiptMessage r = ledger.acceptCheckpoint(topics, checkpoint(log, 3));
      // then the checkpoint is cosigned, but the placeholder does not take the entry's place
      assertThat(r).isInstanceOf(ReceiptMessage.Cosigned.class);
      assertThat(ledger.device(topics).stored()).isZero();
      assertThat(ledger.counters()).containsKey("bind.refused");
      // and the real entry, when it comes, is bound in its place
      assertThat(ledger.acceptEntry(topics, "1", log.read(1)))
          .isEqualTo(DeviceLedger.Outcome.STORED);
      assertThat(ledger.device(topics).stored()).isEqualTo(3);
      assertThat(ledger.device(topics).isLost(1)).isFalse();
    }
  }
}
