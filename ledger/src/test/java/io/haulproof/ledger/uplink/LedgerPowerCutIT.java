package io.haulproof.ledger.uplink;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.ledger.WitnessKey;
import io.haulproof.ledger.testing.LedgerProcess;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.lightchain.testing.PowerCutRig;
import io.haulproof.lightchain.testing.WriterJvm;
import io.haulproof.uplink.outbox.CursorFile;
import io.haulproof.uplink.testing.MosquittoProcess;
import io.haulproof.uplink.testing.SenderMain;
import io.haulproof.uplink.testing.SignedLog;
import io.haulproof.uplink.testing.TestPki;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power cuts (LazyFS) at the two ends of the uplink: the ledger's SQLite database while it commits
 * and acknowledges entries, and the device's outbox cursor while it is replaced. A crash fault
 * makes LazyFS drop every unsynced byte and die at the named operation; the process on it gets
 * {@code kill -9}, LazyFS is mounted again over the same backing dir and the process restarted.
 */
class LedgerPowerCutIT {
  private static final Duration WAIT = Duration.ofSeconds(180);
  private static final String FLEET = "fleet-a";
  private static final String DEVICE = "truck-1";
  private static final int SEED = 43;
  private static final int COUNT = 2000;
  private static final List<String> SENDER_JVM = List.of("-Xmx48m");

  @TempDir Path tmp;
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private PowerCutRig rig;
  private WriterJvm sender;
  private LedgerProcess ledger;

  @AfterEach
  void tearDown() throws Exception {
    if (sender != null) {
      sender.kill();
    }
    if (ledger != null) {
      ledger.kill9();
    }
    if (rig != null) {
      rig.close();
    }
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  @Test
  void ledgerDb_powerCutBeforeAWalFsync_keepsEveryEntryItAcknowledgedAndReopens() throws Exception {
    // given a ledger whose SQLite database is on LazyFS, and a truck (off it) sending to it
    MosquittoProcess broker = MosquittoProcess.startPlain(tmp.resolve("broker"));
    toClose.add(broker::stop);
    rig = PowerCutRig.mount(tmp, 256);
    Path data = rig.dir().resolve("ledger");
    Path witnessPub = ledgerDir(data);
    ledger =
        LedgerProcess.start(
            broker.url(), data, data.resolve("trust/fleet-ca.pem"), FLEET, null, "ledger-1");
    rig.killAtCut(ledger.pid());
    sender =
        WriterJvm.start(
            tmp.resolve("truck"),
            "sender",
            SENDER_JVM,
            SenderMain.class,
            List.of(senderArgs(broker.url(), tmp.resolve("device-state"), witnessPub, 100)));
    sender.awaitLines(l -> maxStored(l) > 0, WAIT, "a receipt with entries stored");

    // when the power is cut before the ledger's next WAL fsync (a commit), and the ledger killed
    rig.arm(PowerCutRig.crashAt("before", "fsync", "ledger\\.db-wal"));
    rig.crash();
    ledger = null;
    long acknowledged = maxStored(sender.lines());
    // what survived, copied before anything opens it (SQLite recovers its WAL on open)
    Path survived = copyOf(rig.backing().resolve("ledger"), tmp.resolve("survived"));

    // then every entry the ledger acknowledged as stored in a receipt (entries_stored: held from
    // index 0 without a gap, bound or waiting for their checkpoint) is still there
    assertThat(acknowledged).isPositive();
    assertThat(heldBelow(survived.resolve("ledger.db"), acknowledged))
        .as(
            "entries stored after the cut vs acknowledged: %s",
            tables(survived.resolve("ledger.db")))
        .isEqualTo(acknowledged);
    // and the ledger reopens on the same data dir (and MQTT session) and binds the rest
    ledger =
        LedgerProcess.start(
            broker.url(), data, data.resolve("trust/fleet-ca.pem"), FLEET, null, "ledger-1");
    Await.until(
        () -> countQuietly(data.resolve("ledger.db")) == COUNT,
        WAIT,
        () -> "bound " + countQuietly(data.resolve("ledger.db")));
    System.out.printf(
        "ledger power cut: %d entries acknowledged before the cut kept; all %d after reopening%n",
        acknowledged, COUNT);
  }

  @Test
  void outboxCursor_powerCutAfterItsRename_readsBackValidAndTheRestArrives() throws Exception {
    // given a truck whose outbox state is on LazyFS, and a ledger off it
    MosquittoProcess broker = MosquittoProcess.startPlain(tmp.resolve("broker"));
    toClose.add(broker::stop);
    Path data = tmp.resolve("ledger");
    Path witnessPub = ledgerDir(data);
    ledger =
        LedgerProcess.start(
            broker.url(), data, data.resolve("trust/fleet-ca.pem"), FLEET, null, "ledger-1");
    rig = PowerCutRig.mount(tmp, 64);
    Path state = rig.dir().resolve("device-state");
    String[] args = senderArgs(broker.url(), state, witnessPub, COUNT);
    rig.start("sender-1", SENDER_JVM, SenderMain.class, args);
    CursorFile cursor = new CursorFile(state.resolve("outbox.cursor"));
    Await.until(() -> cursor.read() > 0, WAIT, () -> "cursor " + cursor.read());
    long before = cursor.read();

    // when the power is cut right after the cursor's next rename, and the truck killed
    rig.arm(PowerCutRig.crashAtRename("after", "outbox\\.cursor"));
    rig.crash();

    // then the cursor reads back whole (a damaged one would read as 0), never behind the one stored
    // before (the outbox never goes back), never past the log
    long after = cursor.read();
    assertThat(after)
        .as("cursor after the cut")
        .isGreaterThanOrEqualTo(before)
        .isLessThanOrEqualTo(COUNT);
    // and the restarted truck sends the rest: the ledger holds every entry, once
    rig.start("sender-2", SENDER_JVM, SenderMain.class, args);
    Await.until(() -> cursor.read() == COUNT, WAIT, () -> "cursor " + cursor.read());
    Await.until(
        () -> countQuietly(data.resolve("ledger.db")) == COUNT,
        WAIT,
        () -> "bound " + countQuietly(data.resolve("ledger.db")));
    System.out.printf("cursor power cut: cursor %d read back after the cut%n", after);
  }

  /** Fills a ledger data dir (trust anchor, the truck's certificate, witness key); the PEM path. */
  private Path ledgerDir(Path data) throws Exception {
    TestPki pki = TestPki.create(tmp.resolve("pki"), "Fleet CA");
    Path witness = tmp.resolve("witness");
    WitnessKey.loadOrCreate(witness);
    Files.createDirectories(data.resolve("devices"));
    Files.createDirectories(data.resolve("witness"));
    for (String f : List.of("witness.p8", "witness.pub.pem")) {
      Files.copy(witness.resolve(f), data.resolve("witness").resolve(f));
    }
    Files.createDirectories(data.resolve("trust"));
    Files.copy(pki.caPem(), data.resolve("trust/fleet-ca.pem"));
    SignedLog log = new SignedLog(DEVICE, SEED);
    TestPki.writePem(
        data.resolve("devices/" + DEVICE + ".pem"),
        pki.deviceCertificate(DEVICE, log.key().publicKey()));
    // installed as an operator would, durably: a cut must not take the setup with it
    try (var files = Files.walk(data)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
          ch.force(true);
        }
      }
    }
    return witness.resolve("witness.pub.pem");
  }

  private static Path copyOf(Path dir, Path to) throws Exception {
    Files.createDirectories(to);
    try (var files = Files.list(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    return to;
  }

  /** SenderMain's arguments, growing its log by {@code chunk} entries at a time. */
  private static String[] senderArgs(String url, Path state, Path witnessPub, int chunk) {
    return new String[] {
      url,
      state.toString(),
      FLEET,
      DEVICE,
      Integer.toString(SEED),
      Integer.toString(COUNT),
      witnessPub.toString(),
      "200000",
      Integer.toString(chunk)
    };
  }

  /** The most entries a cosigned receipt said the ledger stored (the truck's "stored N" lines). */
  private static long maxStored(List<String> truckOutput) {
    return truckOutput.stream()
        .filter(l -> l.startsWith("stored "))
        .mapToLong(l -> Long.parseLong(l.substring(7).strip()))
        .max()
        .orElse(0);
  }

  /** How many of the truck's indices below {@code n} the ledger database binds. */
  private static long storedBelow(Path db, long n) throws Exception {
    return countBelow(db, "entries", n);
  }

  /** How many of the truck's indices below {@code n} the ledger holds, bound or pending. */
  private static long heldBelow(Path db, long n) throws Exception {
    return countBelow(
        db, "(SELECT device, idx FROM entries UNION SELECT device, idx FROM pending)", n);
  }

  private static long countQuietly(Path db) {
    try {
      return storedBelow(db, COUNT);
    } catch (Exception e) {
      return -1;
    }
  }

  private static String tables(Path db) throws Exception {
    StringBuilder b = new StringBuilder(db + ": ");
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        ResultSet r =
            c.createStatement()
                .executeQuery(
                    "SELECT 'entries', device, COUNT(*), MAX(idx) FROM entries GROUP BY device"
                        + " UNION ALL SELECT 'pending', device, COUNT(*), MAX(idx) FROM pending"
                        + " GROUP BY device")) {
      while (r.next()) {
        b.append(r.getString(1))
            .append(' ')
            .append(r.getString(2))
            .append(' ')
            .append(r.getLong(3))
            .append(" max ")
            .append(r.getLong(4))
            .append("; ");
      }
    }
    try (var files = Files.list(db.getParent())) {
      files.forEach(
          f -> b.append(f.getFileName()).append(' ').append(f.toFile().length()).append(", "));
    }
    return b.toString();
  }

  private static long countBelow(Path db, String table, long n) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        PreparedStatement s =
            c.prepareStatement(
                "SELECT COUNT(DISTINCT idx) FROM " + table + " WHERE device = ? AND idx < ?")) {
      s.setString(1, DEVICE);
      s.setLong(2, n);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getLong(1);
      }
    }
  }
}
