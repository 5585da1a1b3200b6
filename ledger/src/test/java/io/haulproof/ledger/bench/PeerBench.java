package io.haulproof.ledger.bench;

import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.LightchainOptions;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.entry.SampleEntries;
import io.haulproof.lightchain.log.Appended;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.HTreeMap;
import org.mapdb.Serializer;

/**
 * Ingest beside peers, in one process on one disk (issue 11 "figures beside peers"): the lightchain
 * (sign + append, durable per entry and with group commit) against raw Bouncy Castle ES256 signing,
 * a raw {@code write + FileChannel.force()} per entry, SQLite (xerial, WAL, synchronous=FULL) with
 * a commit per entry and MapDB with transactions and a commit per entry. The peers store the same
 * kind of signed entry (a COSE_Sign1 over 194 random bytes, ~290 bytes), signed beforehand: their
 * figure is storage only.
 *
 * <p>Usage: {@code PeerBench DIR [ENTRIES]} (default 3000); prints one line per contender.
 */
public final class PeerBench {
  private PeerBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createDirectories(Path.of(args[0]));
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    Random r = new Random(11);
    List<byte[]> entries = new ArrayList<>();
    for (int i = 0; i < 3000; i++) { // JIT warm-up
      CoseSign1.sign(key, Bytes.wrap(new byte[194]));
    }
    long t = System.nanoTime();
    for (int i = 0; i < n; i++) {
      byte[] payload = new byte[194];
      r.nextBytes(payload);
      entries.add(CoseSign1.sign(key, Bytes.wrap(payload)).encoded().toByteArray());
    }
    report("raw BC ES256 sign (COSE_Sign1, 1 thread)", n, t);
    System.out.printf("entry bytes %d%n", entries.get(0).length);

    t = System.nanoTime();
    try (Lightchain c = open(dir.resolve("lc-each"), key)) {
      for (int i = 0; i < n; i++) {
        c.append(SampleEntries.collection()).get();
      }
      report("lightchain sign + append, durable per entry (wait each)", n, t);
    }
    t = System.nanoTime();
    try (Lightchain c = open(dir.resolve("lc-group"), key)) {
      List<CompletableFuture<Appended>> fs = new ArrayList<>();
      for (int i = 0; i < n * 10; i++) {
        fs.add(c.append(SampleEntries.collection()));
      }
      CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get();
      report("lightchain sign + append, group commit (all in flight)", n * 10, t);
    }

    Path raw = dir.resolve("raw.log");
    t = System.nanoTime();
    try (FileChannel ch =
        FileChannel.open(
            raw, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
      for (byte[] e : entries) {
        ch.write(ByteBuffer.wrap(e));
        ch.force(false);
      }
    }
    report("raw write + FileChannel.force(false) per entry", n, t);

    t = System.nanoTime();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("peer.db"))) {
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        s.execute("CREATE TABLE entries (idx INTEGER PRIMARY KEY, cose BLOB NOT NULL)");
      }
      c.setAutoCommit(false);
      try (PreparedStatement p = c.prepareStatement("INSERT INTO entries VALUES (?, ?)")) {
        for (int i = 0; i < n; i++) {
          p.setLong(1, i);
          p.setBytes(2, entries.get(i));
          p.executeUpdate();
          c.commit();
        }
      }
    }
    report("SQLite 3 (xerial) WAL, synchronous=FULL, commit per entry", n, t);

    t = System.nanoTime();
    try (DB db = DBMaker.fileDB(dir.resolve("peer.mapdb").toFile()).transactionEnable().make()) {
      HTreeMap<Long, byte[]> m =
          db.hashMap("entries", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
      for (int i = 0; i < n; i++) {
        m.put((long) i, entries.get(i));
        db.commit();
      }
    }
    report("MapDB 3 fileDB, transactionEnable, commit per entry", n, t);
  }

  private static Lightchain open(Path data, SoftwareDeviceKey key) throws Exception {
    return Lightchain.open(data, key, "truck-bench", LightchainOptions.defaults("bench/truck"));
  }

  private static void report(String what, int n, long t0) {
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf(
        "%-60s %8d entries %8.2f s %10.0f entries/s %8.3f ms/entry%n",
        what, n, s, n / s, s * 1000 / n);
  }
}
