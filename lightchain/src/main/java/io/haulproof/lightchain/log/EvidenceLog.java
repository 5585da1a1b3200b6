package io.haulproof.lightchain.log;

import io.haulproof.lightchain.DataDirLayout;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryBody;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.entry.EntryHeader;
import io.haulproof.lightchain.entry.LossBody;
import io.haulproof.lightchain.files.DurableFiles;
import io.haulproof.lightchain.index.mapdb.MapDbStateStore;
import io.haulproof.lightchain.merkle.MerkleTree;
import io.haulproof.lightchain.merkle.Rfc9162;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.LongConsumer;

/**
 * The evidence log: signs, sequences, appends and acknowledges entries (DESIGN.md, "Storage").
 *
 * <p>{@link #append} gives the entry its header (device id, boot epoch, next sequence number, wall
 * time with source and quality, uptime), signs it as COSE_Sign1 with the device key on the caller's
 * thread (so producers sign in parallel), then hands it to the {@link SegmentedLog} strictly in
 * sequence order. The returned future completes only after the group's {@code force} returned and
 * the Merkle tree holds the leaf, so the index is also the leaf index.
 *
 * <p>Security guarantees: sequence numbers start at 1, increase by exactly 1 in log order and are
 * recovered from the last readable entry at open, so a crash never reuses an acknowledged one; the
 * boot epoch is advanced durably at each open; damage found at open is stated in signed {@code
 * loss} entries before any other append. If signing fails, the log stops accepting appends rather
 * than leave a gap in the sequence.
 */
public final class EvidenceLog implements Closeable {
  private final SegmentedLog records;
  private final MerkleTree tree;
  private volatile DeviceKey key;
  private final String deviceId;
  private final WallClock clock;
  private final long bootEpoch;
  private final long startNanos = System.nanoTime();
  private final long checkpointEvery;
  private static final System.Logger LOSS_LOG = System.getLogger(EvidenceLog.class.getName());
  private final List<Appended> lossEntries = new ArrayList<>();
  private final List<String> lossSummaries = new ArrayList<>();
  private final Object order = new Object();
  private final TreeMap<Long, Signed> ready = new TreeMap<>();
  private long nextSeq;
  private long nextToSubmit;
  private long leavesSinceCheckpoint;
  private volatile long lastCommittedSeq;
  private Throwable failure;

  /** Free space kept on the disk; null while the open logs its loss entries. */
  private volatile DiskReserve reserve;

  private record Signed(long seq, Bytes cose, Hash leaf, CompletableFuture<Appended> result) {}

  private EvidenceLog(
      SegmentedLog records,
      MerkleTree tree,
      DeviceKey key,
      String deviceId,
      WallClock clock,
      long bootEpoch,
      long lastSeq,
      long checkpointEvery) {
    this.records = records;
    this.tree = tree;
    this.key = key;
    this.deviceId = deviceId;
    this.clock = clock;
    this.bootEpoch = bootEpoch;
    this.nextSeq = lastSeq + 1;
    this.nextToSubmit = lastSeq + 1;
    this.lastCommittedSeq = lastSeq;
    this.checkpointEvery = checkpointEvery;
    records.setBatchHook(this::committed);
  }

  /**
   * Opens the log in {@code dataDir} with the host clock; see {@link #open(Path, DeviceKey, String,
   * LogOptions, WallClock)}.
   */
  public static EvidenceLog open(Path dataDir, DeviceKey key, String deviceId, LogOptions opts)
      throws IOException {
    return open(dataDir, key, deviceId, opts, WallClock.system());
  }

  /**
   * Opens or creates the log in {@code dataDir} ({@code log/}, {@code merkle/}, {@code
   * quarantine/}, {@code boot-epoch}): recovers the record log, brings the Merkle tree in line,
   * advances the boot epoch, recovers the sequence number, and appends a signed {@code loss} entry
   * for each damage found.
   */
  public static EvidenceLog open(
      Path dataDir, DeviceKey key, String deviceId, LogOptions opts, WallClock clock)
      throws IOException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(deviceId, "deviceId");
    DurableFiles.createPrivateDirectories(dataDir);
    SegmentedLog records;
    try (MapDbStateStore tails =
        MapDbStateStore.open(
            DataDirLayout.segmentIndex(dataDir), DataDirLayout.quarantine(dataDir))) {
      records = SegmentedLog.open(dataDir, opts, 0, tails);
    }
    MerkleTree tree = null;
    try {
      tree = MerkleTree.open(dataDir.resolve("merkle"));
      long reach = TreeSync.reach(tree, records);
      if (reach > records.size()) {
        records.close();
        records = SegmentedLog.open(dataDir, opts, reach);
      }
      long ahead = TreeSync.reconcile(tree, records);
      LossEntries.Last last = LossEntries.last(records);
      long epoch = BootState.advance(dataDir, last == null ? -1 : last.header().bootEpoch());
      // Every index holds one entry and seq grows by one per entry, so lost indices after the last
      // readable entry
      // used seq numbers too: skip them.
      long lastSeq =
          last == null ? records.size() : last.header().seq() + (records.size() - 1 - last.index());
      EvidenceLog log =
          new EvidenceLog(
              records, tree, key, deviceId, clock, epoch, lastSeq, opts.treeCheckpointEvery());
      log.appendLossEntries(dataDir, ahead);
      log.reserve = DiskReserve.of(dataDir, DiskReserve.DEFAULT_BYTES);
      return log;
    } catch (IOException | RuntimeException e) {
      records.close();
      if (tree != null) {
        tree.close();
      }
      throw e;
    }
  }

  private void appendLossEntries(Path dataDir, long ahead) throws IOException {
    List<CompletableFuture<Appended>> fs = new ArrayList<>();
    List<LossBody> bodies = new ArrayList<>();
    List<LossReport> reports = records.losses();
    for (LossReport r : reports) {
      bodies.add(LossEntries.body(dataDir, records, r));
    }
    if (ahead > 0) {
      bodies.add(LossEntries.vanishedTail(records.size(), ahead));
    }
    for (LossBody b : bodies) {
      fs.add(append(b));
    }
    try {
      for (int i = 0; i < fs.size(); i++) {
        Appended a = fs.get(i).get();
        lossEntries.add(a);
        lossSummaries.add(bodies.get(i).summary() + "; signed loss entry at index " + a.index());
        LOSS_LOG.log(
            System.Logger.Level.ERROR,
            "evidence lost: {0}; signed loss entry at index {1}",
            bodies.get(i).summary(),
            a.index());
        if (i < reports.size()) {
          records.acknowledgeLoss(reports.get(i));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while logging loss entries", e);
    } catch (ExecutionException e) {
      throw new IOException("cannot log loss entry: " + e.getCause().getMessage(), e.getCause());
    }
  }

  /**
   * Signs {@code body} under the next sequence number and appends it; completes once durable.
   *
   * <p>The future fails if signing fails (and the log then refuses further appends) or the log is
   * closed, and with {@link DiskReserve.LogFullException} while less than the disk reserve is free
   * (nothing is signed then, and a later append may succeed).
   */
  public CompletableFuture<Appended> append(EntryBody body) {
    Objects.requireNonNull(body, "body");
    DiskReserve r = reserve;
    if (r != null) {
      try {
        r.check();
      } catch (DiskReserve.LogFullException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    long seq;
    DeviceKey signingKey;
    WallClock.Reading now = clock.now();
    synchronized (order) {
      if (failure != null) {
        return CompletableFuture.failedFuture(
            new IllegalStateException("evidence log failed", failure));
      }
      seq = nextSeq++;
      signingKey = key;
    }
    CompletableFuture<Appended> result = new CompletableFuture<>();
    Bytes cose;
    try {
      long uptime = (System.nanoTime() - startNanos) / 1_000_000;
      EntryHeader h =
          new EntryHeader(
              deviceId, bootEpoch, seq, now.millis(), now.source(), now.uncertaintyMs(), uptime);
      cose = EntryCodec.sign(signingKey, new Entry(h, body)).encoded();
    } catch (RuntimeException e) {
      fail(e);
      result.completeExceptionally(e);
      return result;
    }
    Signed s = new Signed(seq, cose, Rfc9162.leafHash(cose), result);
    synchronized (order) {
      if (failure != null) {
        result.completeExceptionally(new IllegalStateException("evidence log failed", failure));
        return result;
      }
      ready.put(seq, s);
      while (!ready.isEmpty() && ready.firstKey() == nextToSubmit) {
        Signed next = ready.pollFirstEntry().getValue();
        nextToSubmit++;
        records
            .append(next.cose(), next)
            .whenComplete(
                (index, err) -> {
                  if (err != null) {
                    next.result().completeExceptionally(err);
                  } else {
                    next.result().complete(new Appended(index, next.seq(), next.cose()));
                  }
                });
      }
    }
    return result;
  }

  private void fail(Throwable e) {
    synchronized (order) {
      if (failure == null) {
        failure = e;
      }
      for (Signed s : ready.values()) {
        s.result().completeExceptionally(new IllegalStateException("evidence log failed", e));
      }
      ready.clear();
    }
  }

  /** The batch hook: on the writer thread, after force, in log order. */
  private void committed(long firstIndex, List<GroupWriter.Pending> group) {
    if (tree.size() != firstIndex) {
      throw new IllegalStateException("tree size " + tree.size() + ", want " + firstIndex);
    }
    for (GroupWriter.Pending p : group) {
      tree.append(((Signed) p.tag()).leaf());
    }
    lastCommittedSeq = ((Signed) group.get(group.size() - 1).tag()).seq();
    leavesSinceCheckpoint += group.size();
    if (leavesSinceCheckpoint >= checkpointEvery) {
      leavesSinceCheckpoint = 0;
      try {
        tree.checkpoint();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * The number of committed indices (lost ones included); also the Merkle tree size once appends
   * settle.
   */
  public long size() {
    return records.size();
  }

  /**
   * The committed COSE_Sign1 bytes at {@code index}; lost records throw {@link
   * LostRecordException}.
   */
  public Bytes read(long index) throws IOException {
    return records.read(index);
  }

  /** A forward reader over committed records, for verification and the uplink. */
  public LogCursor cursor(long fromIndex) {
    return records.cursor(fromIndex);
  }

  /**
   * The Merkle tree over all entries, for roots and proofs; it may run ahead of {@link #size()} by
   * one group.
   */
  public MerkleTree tree() {
    return tree;
  }

  /** The record log, for lost ranges and damage counters. */
  public SegmentedLog records() {
    return records;
  }

  /**
   * Listeners get the new size after each durable group commit, before its appends are
   * acknowledged.
   */
  public void addCommitListener(LongConsumer listener) {
    records.addCommitListener(listener);
  }

  /**
   * The highest sequence number that is durable (0 if none); inside a commit listener, that group's
   * last one.
   */
  public long lastCommittedSeq() {
    return lastCommittedSeq;
  }

  public long bootEpoch() {
    return bootEpoch;
  }

  public String deviceId() {
    return deviceId;
  }

  public DeviceKey key() {
    return key;
  }

  /**
   * Signs every entry sequenced after this call with {@code next}; entries sequenced before keep
   * the previous key, and the log keeps sequence order, so the switch is one clean boundary in the
   * log. Log the {@code key} entry that registers {@code next} first (signed by the current key),
   * or verifiers will not know it.
   */
  public void switchKey(DeviceKey next) {
    Objects.requireNonNull(next, "next");
    synchronized (order) {
      key = next;
    }
  }

  /**
   * One line per {@code loss} entry this open appended (what was lost, where, the entry's index),
   * for the operator's status.
   */
  public List<String> lossSummaries() {
    return List.copyOf(lossSummaries);
  }

  /** The {@code loss} entries this open appended for damage it found. */
  public List<Appended> lossEntries() {
    return List.copyOf(lossEntries);
  }

  /** Decodes the COSE_Sign1 at {@code index} (no signature check). */
  public CoseSign1 entry(long index) throws IOException {
    return CoseSign1.decode(read(index));
  }

  /** Waits for queued appends, checkpoints the tree and closes everything. */
  @Override
  public void close() throws IOException {
    try {
      records.close();
    } finally {
      try {
        tree.checkpoint();
      } finally {
        tree.close();
      }
    }
  }
}
