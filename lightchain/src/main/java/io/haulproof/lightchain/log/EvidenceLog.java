package io.haulproof.lightchain.log;

import io.haulproof.lightchain.DataDirLayout;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.entry.EntryBody;
import io.haulproof.lightchain.files.DurableFiles;
import io.haulproof.lightchain.index.mapdb.MapDbStateStore;
import io.haulproof.lightchain.merkle.MerkleTree;
import io.haulproof.lightchain.merkle.Rfc9162;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
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
  private final WallClock clock;
  private final EntrySigner signer;
  private final Sequencer sequencer;
  private final TreeCommit treeCommit;
  private volatile OpenLosses losses = OpenLosses.none();

  /** Free space kept on the disk; null while the open logs its loss entries. */
  private volatile DiskReserve reserve;

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
    this.clock = clock;
    this.signer = new EntrySigner(deviceId, bootEpoch);
    this.sequencer = new Sequencer(records, key, lastSeq);
    this.treeCommit = new TreeCommit(tree, checkpointEvery, lastSeq);
    records.setBatchHook(treeCommit::committed);
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
      long lastSeq = Sequencer.recoverLastSeq(records, last);
      EvidenceLog log =
          new EvidenceLog(
              records, tree, key, deviceId, clock, epoch, lastSeq, opts.treeCheckpointEvery());
      log.losses = OpenLosses.append(dataDir, records, ahead, log::append);
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
    WallClock.Reading now = clock.now();
    Sequencer.Claim claim;
    try {
      claim = sequencer.claim();
    } catch (IllegalStateException e) {
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<Appended> result = new CompletableFuture<>();
    Bytes cose;
    try {
      cose = signer.sign(claim.key(), claim.seq(), now, body);
    } catch (RuntimeException e) {
      sequencer.fail(e);
      result.completeExceptionally(e);
      return result;
    }
    sequencer.submit(new Sequencer.Signed(claim.seq(), cose, Rfc9162.leafHash(cose), result));
    return result;
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
    return treeCommit.lastCommittedSeq();
  }

  public long bootEpoch() {
    return signer.bootEpoch();
  }

  public String deviceId() {
    return signer.deviceId();
  }

  public DeviceKey key() {
    return sequencer.key();
  }

  /**
   * Signs every entry sequenced after this call with {@code next}; entries sequenced before keep
   * the previous key, and the log keeps sequence order, so the switch is one clean boundary in the
   * log. Log the {@code key} entry that registers {@code next} first (signed by the current key),
   * or verifiers will not know it.
   */
  public void switchKey(DeviceKey next) {
    Objects.requireNonNull(next, "next");
    sequencer.switchKey(next);
  }

  /**
   * One line per {@code loss} entry this open appended (what was lost, where, the entry's index),
   * for the operator's status.
   */
  public List<String> lossSummaries() {
    return losses.summaries();
  }

  /** The {@code loss} entries this open appended for damage it found. */
  public List<Appended> lossEntries() {
    return losses.entries();
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
