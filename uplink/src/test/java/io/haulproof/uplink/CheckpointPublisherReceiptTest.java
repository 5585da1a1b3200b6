package io.haulproof.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.uplink.checkpoint.CheckpointPublisher;
import io.haulproof.uplink.checkpoint.CheckpointSource;
import io.haulproof.uplink.testing.SignedLog;
import io.haulproof.uplink.wire.Cosignatures;
import io.haulproof.uplink.wire.ReceiptMessage;
import io.haulproof.uplink.wire.SignedReceipt;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** A cosignature is logged once per checkpoint size, however often the witness answers. */
class CheckpointPublisherReceiptTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private final SoftwareDeviceKey witness = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);

  private ReceiptMessage.Cosigned cosign(String text, long size, CheckpointSource.Signed cp) {
    long now = 1_700_000_000L;
    return new ReceiptMessage.Cosigned(
        text,
        size,
        cp.root(),
        "witness-1",
        witness.kid(),
        now,
        Cosignatures.sign(witness, text, now),
        size);
  }

  @Test
  void onReceipt_sameSizeTwice_loggedOnce() throws Exception {
    SignedLog log = new SignedLog("truck-1", 7);
    log.append(3);
    CheckpointSource.Signed cp = log.checkpoint("fleet-a");
    String text = io.haulproof.lightchain.checkpoint.SignedNote.parse(cp.wire()).text();
    List<ReceiptMessage.Cosigned> logged = new CopyOnWriteArrayList<>();
    List<Bytes> sent = new CopyOnWriteArrayList<>();
    CheckpointPublisher p =
        new CheckpointPublisher(
            log,
            log::size,
            log::size,
            b -> {
              sent.add(b);
              return CompletableFuture.completedFuture(null);
            },
            witness.publicKey(),
            logged::add,
            from -> {},
            new CheckpointPublisher.Settings(Duration.ofHours(1), 1_000_000));
    try {
      p.publishNow();
      Await.until(() -> sent.size() == 1, WAIT, "the checkpoint to be sent");
      Bytes answer = SignedReceipt.seal(witness, sent.get(0), cosign(text, 3, cp));
      p.onReceipt(answer);
      p.onReceipt(answer);
      Await.until(() -> p.duplicateCount() == 1, WAIT, "the second answer to be dropped");

      assertThat(logged).hasSize(1);
      assertThat(p.cosignedCount()).isEqualTo(1);
      assertThat(p.acknowledgedSize()).isEqualTo(3);

      log.append(2);
      CheckpointSource.Signed cp2 = log.checkpoint("fleet-a");
      String text2 = io.haulproof.lightchain.checkpoint.SignedNote.parse(cp2.wire()).text();
      p.publishNow();
      Await.until(() -> sent.size() == 2, WAIT, "the second checkpoint to be sent");
      p.onReceipt(SignedReceipt.seal(witness, sent.get(1), cosign(text2, 5, cp2)));
      Await.until(() -> p.cosignedCount() == 2, WAIT, "the larger checkpoint's receipt");
      assertThat(logged).extracting(ReceiptMessage.Cosigned::size).containsExactly(3L, 5L);
    } finally {
      p.close();
    }
  }
}
