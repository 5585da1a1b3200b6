package io.haulproof.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.entry.KeyAction;
import io.haulproof.lightchain.entry.KeyBody;
import io.haulproof.lightchain.files.DurableFiles;
import io.haulproof.lightchain.poah.EntryKeys;
import io.haulproof.lightchain.poah.SignedEntry;
import io.haulproof.uplink.Topics;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Everything the ledger holds for one device: its entries (in index order, each once), a bounded
 * buffer for entries that arrived ahead of a gap, and the witness's latest checkpoint, saved
 * atomically.
 *
 * <p>Key rotation: the keys the device's own {@code key} entries enroll, rotate in or revoke
 * (lightchain's {@link EntryKeys} rules, as {@code ChainVerifier} applies them) are learned from
 * the stored entries in index order, so a new key is trusted only from the entry after its ROTATE
 * entry, which itself had to verify under a key already trusted; a revoked key signs nothing after
 * its revocation. An entry that arrives ahead of a gap with a key not yet known is buffered and
 * checked when its turn comes.
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
  private final EntryKeys learned = EntryKeys.of();
  private final List<PublicKey> learnedKeys = new ArrayList<>();
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
    DeviceLedger d =
        new DeviceLedger(topics, dir, EntryStore.open(dir.resolve("entries.dat")), latest);
    for (long i = 0; i < d.store.count(); i++) {
      d.learn(i, d.store.get(i));
    }
    return d;
  }

  /** Applies a stored entry's key change, if it is a {@code key} entry. */
  private void learn(long index, Bytes cose) throws IOException {
    if (EntryStore.isGap(cose)) {
      return;
    }
    SignedEntry e;
    try {
      e = SignedEntry.parse(index, cose);
    } catch (SignedEntry.MalformedEntryException ex) {
      throw new IOException("stored " + ex.getMessage(), ex);
    }
    if (e.entry().body() instanceof KeyBody kb && kb.action() != KeyAction.REVOKE) {
      learnedKeys.add(PublicKeys.fromSpki(kb.publicKey()));
    }
    e.applyTo(learned);
  }

  /**
   * The key {@code kid} names if it was ever trusted for this device (registered, or enrolled or
   * rotated in by a stored entry), revoked or not.
   */
  public synchronized Optional<PublicKey> knownKey(
      Kid kid, Function<Kid, Optional<PublicKey>> registered) {
    Optional<PublicKey> r = registered.apply(kid);
    if (r.isPresent()) {
      return r;
    }
    return learnedKeys.stream().filter(k -> Kid.of(k).equals(kid)).findFirst();
  }

  /** The key {@code kid} names if it may sign the next entry: trusted and not revoked. */
  private Optional<PublicKey> activeKey(Kid kid, Function<Kid, Optional<PublicKey>> registered) {
    if (learned.isRevoked(kid)) {
      return Optional.empty();
    }
    return knownKey(kid, registered);
  }

  /** The keys a checkpoint may be signed with now: registered or learned, minus revoked ones. */
  public synchronized List<PublicKey> activeKeys(List<PublicKey> registered) {
    List<PublicKey> out = new ArrayList<>();
    for (PublicKey k : registered) {
      if (!learned.isRevoked(Kid.of(k))) {
        out.add(k);
      }
    }
    for (PublicKey k : learnedKeys) {
      if (!learned.isRevoked(Kid.of(k)) && !out.contains(k)) {
        out.add(k);
      }
    }
    return out;
  }

  public Topics topics() {
    return topics;
  }

  /**
   * Stores entry {@code index} idempotently; entries are appended strictly in index order, each
   * only if its key is active at that position (see the class comment).
   *
   * @param registered the device's registered keys by kid
   * @throws Ledger.RejectedEntryException if the entry's key is unknown, revoked or its signature
   *     does not verify
   */
  public synchronized Outcome put(
      long index, Bytes cose, Function<Kid, Optional<PublicKey>> registered) throws IOException {
    long have = store.count();
    CoseSign1 msg = CoseSign1.decode(cose);
    Optional<PublicKey> known = knownKey(msg.kid(), registered);
    if (known.isPresent()) {
      verify(index, msg, known.get());
    } else if (index <= have) {
      throw new Ledger.RejectedEntryException(
          "entry "
              + index
              + ": kid "
              + msg.kid().toHex()
              + " is not a registered key of "
              + topics.device());
    }
    if (index < have) {
      if (store.get(index).equals(cose)) {
        return Outcome.DUPLICATE;
      }
      conflicts++;
      Path c = dir.resolve("conflicts");
      Files.createDirectories(c);
      DurableFiles.write(c.resolve(index + "-" + System.nanoTime() + ".cose"), cose.toByteArray());
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
    append(index, cose, msg, registered);
    drain(registered);
    return Outcome.STORED;
  }

  /**
   * Records a gap at {@code index}: the device lost that record and its tree holds {@code leaf}
   * there. Idempotent, in index order like {@link #put}; never stands for content.
   */
  public synchronized Outcome putLost(
      long index, Hash leaf, Function<Kid, Optional<PublicKey>> registered) throws IOException {
    Bytes gap = EntryStore.gapRecord(leaf);
    long have = store.count();
    if (index < have) {
      if (store.get(index).equals(gap)) {
        return Outcome.DUPLICATE;
      }
      conflicts++;
      return Outcome.CONFLICT;
    }
    if (index > have) {
      if (ahead.containsKey(index)) {
        return Outcome.DUPLICATE;
      }
      if (ahead.size() >= MAX_BUFFERED) {
        return Outcome.DROPPED;
      }
      ahead.put(index, gap);
      return Outcome.BUFFERED;
    }
    store.append(gap);
    drain(registered);
    return Outcome.STORED;
  }

  /** Whether {@code index} is a recorded gap: lost at the device, no content held. */
  public synchronized boolean isLost(long index) {
    return store.isGap(index);
  }

  /** The leaf hash the ledger's tree holds at {@code index}. */
  public synchronized Hash leafHash(long index) {
    return store.leafHash(index);
  }

  private void drain(Function<Kid, Optional<PublicKey>> registered) throws IOException {
    Bytes nextEntry;
    while ((nextEntry = ahead.remove(store.count())) != null) {
      if (EntryStore.isGap(nextEntry)) {
        store.append(nextEntry);
        continue;
      }
      try {
        append(store.count(), nextEntry, CoseSign1.decode(nextEntry), registered);
      } catch (Ledger.RejectedEntryException e) {
        break; // dropped; the sender resends after rewinding to entries_stored
      }
    }
    ahead.headMap(store.count()).clear();
  }

  private void append(
      long index, Bytes cose, CoseSign1 msg, Function<Kid, Optional<PublicKey>> registered)
      throws IOException {
    PublicKey key =
        activeKey(msg.kid(), registered)
            .orElseThrow(
                () ->
                    new Ledger.RejectedEntryException(
                        "entry "
                            + index
                            + " of "
                            + topics.device()
                            + ": kid "
                            + msg.kid().toHex()
                            + (learned.isRevoked(msg.kid())
                                ? " was revoked before this index"
                                : " is not trusted at this index")));
    verify(index, msg, key);
    learn(index, cose);
    store.append(cose);
  }

  private void verify(long index, CoseSign1 msg, PublicKey key) {
    try {
      msg.verify(key);
    } catch (RuntimeException e) {
      throw new Ledger.RejectedEntryException(
          "entry " + index + " of " + topics.device() + ": " + e.getMessage());
    }
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
    DurableFiles.write(dir.resolve("checkpoint.json"), JSON.writeValueAsBytes(n));
    latest = cp;
  }

  @Override
  public synchronized void close() throws IOException {
    store.close();
  }
}
