package io.haulproof.uplink.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.checkpoint.CheckpointSigner;
import io.haulproof.lightchain.checkpoint.CheckpointStore;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.entry.SampleEntries;
import io.haulproof.lightchain.log.Appended;
import io.haulproof.lightchain.log.EvidenceLog;
import io.haulproof.lightchain.log.LogOptions;
import io.haulproof.lightchain.merkle.ProofVerifier;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.uplink.outbox.CursorFile;
import io.haulproof.uplink.outbox.OutboundEntry;
import io.haulproof.uplink.outbox.Outbox;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The uplink over lightchain's real evidence log and checkpoint store. */
class EvidenceLogSourceTest {
  @TempDir Path tmp;

  @Test
  void outboxOverEvidenceLog_sendsEveryDurableEntryInOrder_andCheckpointMatchesTree()
      throws Exception {
    // given
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    Path data = tmp.resolve("data");
    try (EvidenceLog log = EvidenceLog.open(data, key, "truck-0042", LogOptions.defaults())) {
      EvidenceLogSource src = new EvidenceLogSource(log, data);
      List<OutboundEntry> sent = new CopyOnWriteArrayList<>();
      Outbox o =
          new Outbox(
              src,
              e -> {
                sent.add(e);
                return CompletableFuture.completedFuture(null);
              },
              new CursorFile(tmp.resolve("cursor")),
              Outbox.Settings.defaults());
      o.start();
      // when
      List<Appended> appended = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        appended.add(log.append(SampleEntries.collection()).get());
      }
      long size = log.size();
      new CheckpointStore(data)
          .save(
              new CheckpointSigner(key)
                  .sign(
                      new Checkpoint(
                          Checkpoint.originFor("fleet-a", "truck-0042"),
                          size,
                          log.tree().root(size))));
      // then
      Await.until(() -> o.cursor() == size, Duration.ofSeconds(30), () -> "cursor " + o.cursor());
      o.close();
      assertThat(sent)
          .extracting(OutboundEntry::index)
          .containsExactlyElementsOf(java.util.stream.LongStream.range(0, size).boxed().toList());
      for (Appended a : appended) {
        OutboundEntry e = sent.get((int) a.index());
        assertThat(e.cose()).isEqualTo(a.cose());
        assertThat(e.seq()).isEqualTo(a.seq());
        assertThat(e.kind()).isEqualTo("collection");
      }
      assertThat(src.latest().orElseThrow().size()).isEqualTo(size);
      assertThat(src.latest().orElseThrow().root()).isEqualTo(src.root(size));
      ProofVerifier.verifyConsistency(
          10, size, src.consistencyProof(10, size), src.root(10), src.root(size));
    }
  }
}
