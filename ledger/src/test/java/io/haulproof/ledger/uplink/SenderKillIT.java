package io.haulproof.ledger.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.ledger.DeviceLedger;
import io.haulproof.ledger.testing.InProcessLedger;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.outbox.CursorFile;
import io.haulproof.uplink.testing.MosquittoProcess;
import io.haulproof.uplink.testing.SenderMain;
import io.haulproof.uplink.testing.SignedLog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sending agent is killed with SIGKILL while entries are in flight; on restart it resends from
 * its cursor.
 */
class SenderKillIT {
  private static final Duration WAIT = Duration.ofSeconds(180);
  private static final int COUNT = 3000;

  @TempDir Path tmp;
  private MosquittoProcess broker;
  private InProcessLedger ledger;
  private Process sender;

  @AfterEach
  void tearDown() throws Exception {
    if (sender != null && sender.isAlive()) {
      sender.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (ledger != null) {
      ledger.close();
    }
    if (broker != null) {
      broker.stop();
    }
  }

  private Path senderLog;

  private Process startSender() throws Exception {
    senderLog = tmp.resolve("sender-" + System.nanoTime() + ".log");
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx48m",
            "-cp",
            System.getProperty("java.class.path"),
            SenderMain.class.getName(),
            broker.url(),
            tmp.resolve("device-state").toString(),
            "fleet-a",
            "truck-1",
            "41",
            Integer.toString(COUNT),
            tmp.resolve("l/ledger-data/witness/witness.pub.pem").toString(),
            "300000")
        .redirectErrorStream(true)
        .redirectOutput(senderLog.toFile())
        .start();
  }

  @Test
  void senderKilled9MidBacklog_restarted_ledgerHasEveryEntryOnceInOrder() throws Exception {
    // given
    broker = MosquittoProcess.builder(tmp.resolve("broker")).persistence(true).start();
    SignedLog expected = new SignedLog("truck-1", 41);
    expected.append(COUNT);
    ledger = new InProcessLedger(tmp.resolve("l")).register(expected).start(broker.url());
    DeviceLedger d = ledger.ledger().device(new Topics("fleet-a", "truck-1"));
    sender = startSender();
    CursorFile cursor = new CursorFile(tmp.resolve("device-state/outbox.cursor"));
    // past the middle of the backlog
    Await.until(() -> cursor.read() >= 1800, WAIT, () -> "cursor " + cursor.read());
    // when
    sender.destroyForcibly(); // SIGKILL while entries are in flight
    sender.waitFor(30, TimeUnit.SECONDS);
    long storedAtKill = d.held();
    long cursorAtKill = cursor.read();
    sender = startSender();
    // then
    Await.until(
        () -> d.stored() == COUNT && d.latest().map(c -> c.size() == COUNT).orElse(false),
        WAIT,
        () -> "stored " + d.stored() + " " + ledger.ledger().counters());
    for (int i = 0; i < COUNT; i++) {
      assertThat(d.entry(i)).as("entry %d", i).isEqualTo(expected.read(i));
    }
    assertThat(cursorAtKill).isPositive().isLessThan(COUNT);
    assertThat(storedAtKill).isLessThan(COUNT);
    assertThat(d.conflicts()).isZero();
    // the restarted sender resumed from the cursor persisted before the kill, not from 0 (what it
    // resends later because a receipt says entries are missing is the receipt's business)
    assertThat(java.nio.file.Files.readAllLines(senderLog))
        .as("restarted sender's output")
        .contains("start " + cursorAtKill);
  }
}
