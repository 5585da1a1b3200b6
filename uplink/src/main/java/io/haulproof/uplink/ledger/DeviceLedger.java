package io.haulproof.uplink.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.internal.AtomicFiles;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything the ledger holds for one device: its entries (in index order, each once), a bounded
 * buffer for entries that arrived ahead of a gap, and the witness's latest checkpoint, saved
 * atomically.
 */
public final class DeviceLedger implements Closeable {
  /** What happened to a submitted entry. */
  public enum Outcome {
    /** Appended (possibly together with buffered successors). */
    STORED,
    /** Already held, byte for byte. */
    DUPLICATE,
    /** Ahead of a gap; buffered until the gap fills. */
    BUFFERED,
    /**
     * Ahead of a gap and the buffer is full; dropped, the sender resends after rewinding to
     * entries_stored.
     */
    DROPPED,
    /**
     * Differs from the entry already held at that index: evidence of a forked log, kept in
     * conflicts/.
     */
    CONFLICT
  }

  static final int MAX_BUFFERED = 4096;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Topics topics;
  private final Path dir;
  private final EntryStore store;
  private final TreeMap<Long, Bytes> ahead = new TreeMap<>();
  private NoteCheckpoint latest;
  private long conflicts;

  private DeviceLedger(Topics topics, Path dir, EntryStore store, NoteCheckpoint latest) {
    this.topics = topics;
    this.dir = dir;
    this.store = store;
    this.latest = latest;
  }

  static DeviceLedger open(Topics topics, Path dir) throws IOException {
    Files.createDirectories(dir);
    NoteCheckpoint latest = null;
    Path cp = dir.resolve("checkpoint.json");
    if (Files.exists(cp)) {
      JsonNode n = JSON.readTree(cp.toFile());
      latest =
          new NoteCheckpoint(
              n.get("origin").asText(),
              n.get("size").asLong(),
              Hash.fromHex(n.get("root").asText()),
              n.get("text").asText(),
              n.get("wire").asText());
    }
    return new DeviceLedger(topics, dir, EntryStore.open(dir.resolve("entries.dat")), latest);
  }

  public Topics topics() {
    return topics;
  }

  /** Stores entry {@code index} idempotently; entries are appended strictly in index order. */
  public synchronized Outcome put(long index, Bytes cose) throws IOException {
    long have = store.count();
    if (index < have) {
      if (store.get(index).equals(cose)) {
        return Outcome.DUPLICATE;
      }
      conflicts++;
      Path c = dir.resolve("conflicts");
      Files.createDirectories(c);
      AtomicFiles.write(c.resolve(index + "-" + System.nanoTime() + ".cose"), cose.toByteArray());
      return Outcome.CONFLICT;
    }
    if (index > have) {
      if (ahead.containsKey(index)) {
        return Outcome.DUPLICATE;
      }
      if (ahead.size() >= MAX_BUFFERED) {
        return Outcome.DROPPED;
      }
      ahead.put(index, cose);
      return Outcome.BUFFERED;
    }
    store.append(cose);
    Bytes nextEntry;
    while ((nextEntry = ahead.remove(store.count())) != null) {
      store.append(nextEntry);
    }
    ahead.headMap(store.count()).clear();
    return Outcome.STORED;
  }

  /** Entries held from index 0 without a gap (durable or about to be: see {@link #sync()}). */
  public synchronized long stored() {
    return store.count();
  }

  /** Makes the stored entries durable and returns how many there are. */
  public synchronized long sync() throws IOException {
    store.sync();
    return store.count();
  }

  public synchronized Bytes entry(long index) throws IOException {
    return store.get(index);
  }

  public synchronized Hash root(long size) {
    return store.root(size);
  }

  public synchronized List<Hash> inclusionProof(long index, long size) {
    return store.inclusionProof(index, size);
  }

  /** Entries that contradicted stored ones (forked logs). */
  public synchronized long conflicts() {
    return conflicts;
  }

  public synchronized Optional<NoteCheckpoint> latest() {
    return Optional.ofNullable(latest);
  }

  /** Replaces the latest checkpoint, atomically on disk before in memory. */
  public synchronized void saveLatest(NoteCheckpoint cp) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("origin", cp.origin())
        .put("size", cp.size())
        .put("root", cp.root().toHex())
        .put("text", cp.text())
        .put("wire", cp.wire());
    AtomicFiles.write(dir.resolve("checkpoint.json"), JSON.writeValueAsBytes(n));
    latest = cp;
  }

  @Override
  public synchronized void close() throws IOException {
    store.close();
  }
}
