package io.haulproof.lightchain;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.checkpoint.SignedNote;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.entry.ReceiptBody;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.lightchain.testing.TestEntries;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Witness receipts must not close blocks on their own (the idle checkpoint loop, issue 11). */
class LightchainReceiptTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String ORIGIN = Checkpoint.originFor("fleet-1", "truck-7");
  private static final DeviceKey WITNESS = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
  private final DeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);

  @TempDir Path dir;

  private Lightchain open() throws Exception {
    return Lightchain.open(
        dir, key, "truck-7", LightchainOptions.defaults(ORIGIN).withBlocks(1000, 20));
  }

  private static ReceiptBody receiptFor(SignedNote note) {
    Checkpoint c = Checkpoint.parse(note.text());
    return receipt(c.size(), c.root());
  }

  private static ReceiptBody receipt(long size, Hash root) {
    return new ReceiptBody(
        "witness-1", Kid.of(WITNESS.publicKey()), size, root, Bytes.of((byte) 9), 1_700_000_000);
  }

  @Test
  void receiptAlone_timerPasses_noBlockNoCheckpoint() throws Exception {
    try (Lightchain chain = open()) {
      chain.append(TestEntries.config(1)).get(30, TimeUnit.SECONDS);
      Await.until(() -> chain.checkpoint().isPresent(), WAIT, "the first checkpoint");
      SignedNote first = chain.checkpoint().orElseThrow();

      chain.append(receiptFor(first)).get(30, TimeUnit.SECONDS);
      Await.until(() -> chain.deferredBlocks() >= 1, WAIT, "the timer to pass over the receipt");

      assertThat(chain.blocks()).hasSize(1);
      assertThat(chain.checkpoint()).contains(first);
      assertThat(chain.log().size()).isEqualTo(2);
    }
  }

  @Test
  void receiptThenLift_timer_oneBlockCoversBoth() throws Exception {
    try (Lightchain chain = open()) {
      chain.append(TestEntries.config(1)).get(30, TimeUnit.SECONDS);
      Await.until(() -> chain.checkpoint().isPresent(), WAIT, "the first checkpoint");
      chain.append(receiptFor(chain.checkpoint().orElseThrow())).get(30, TimeUnit.SECONDS);
      Await.until(() -> chain.deferredBlocks() >= 1, WAIT, "the timer to pass over the receipt");

      chain.append(TestEntries.config(2)).get(30, TimeUnit.SECONDS);
      Await.until(() -> chain.blocks().size() == 2, WAIT, "the second block");

      assertThat(chain.blocks().get(1).header().firstIndex()).isEqualTo(1);
      assertThat(chain.blocks().get(1).header().count()).isEqualTo(2);
      assertThat(Checkpoint.parse(chain.checkpoint().orElseThrow().text()).size()).isEqualTo(3);
    }
  }

  @Test
  void witnessLoop_receiptPerCheckpoint_settlesAfterOneReceipt() throws Exception {
    AtomicLong receipts = new AtomicLong();
    try (Lightchain chain = open()) {
      // the witness: every checkpoint it sees comes back as a receipt entry
      chain.addCheckpointListener(
          note -> {
            receipts.incrementAndGet();
            chain.append(receiptFor(note));
          });
      chain.append(TestEntries.config(1)).get(30, TimeUnit.SECONDS);
      Await.until(
          () -> chain.deferredBlocks() >= 1, WAIT, "the receipt to be left for a later block");
      // let the timer pass several more times: each pass is a chance for the loop to restart
      chain.append(receipt(1, chain.log().tree().root(1))).get(30, TimeUnit.SECONDS);
      Await.until(() -> chain.deferredBlocks() >= 2, WAIT, "a second pass of the timer");

      assertThat(receipts.get()).isEqualTo(1);
      assertThat(chain.blocks()).hasSize(1);
      assertThat(chain.log().size()).isEqualTo(3);
    }
  }

  @Test
  void receiptsOnly_flush_closesBlock() throws Exception {
    try (Lightchain chain = open()) {
      chain.append(receipt(0, chain.log().tree().root(0))).get(30, TimeUnit.SECONDS);
      chain.flush().get(30, TimeUnit.SECONDS);

      assertThat(chain.blocks()).hasSize(1);
      assertThat(Checkpoint.parse(chain.checkpoint().orElseThrow().text()).size()).isEqualTo(1);
    }
  }
}
