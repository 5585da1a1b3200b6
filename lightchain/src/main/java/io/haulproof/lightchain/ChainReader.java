package io.haulproof.lightchain;

import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.block.BlockStore;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.checkpoint.CheckpointStore;
import io.haulproof.lightchain.checkpoint.SignedNote;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.index.BinIndex;
import io.haulproof.lightchain.log.LogOptions;
import io.haulproof.lightchain.log.SegmentedLog;
import io.haulproof.lightchain.log.TreeSync;
import io.haulproof.lightchain.merkle.MerkleTree;
import io.haulproof.lightchain.merkle.Rfc9162;
import io.haulproof.lightchain.verify.ChainVerifier;
import io.haulproof.lightchain.verify.VerificationResult;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * A data dir opened for auditing without the device key: the CLI's {@code chain} commands use it to
 * verify, export, prove and show checkpoints.
 *
 * <p>It holds the data dir's lock, so it cannot open a dir a running {@link Lightchain} holds (use
 * {@link Lightchain#verify} there). Opening recovers the record log as the log always does on open
 * (a torn tail is cut, damage quarantined) and brings the stored Merkle tree up to the log's size
 * by appending the missing leaves; blocks and the checkpoint are only read. Nothing is signed: an
 * auditor holds no key.
 */
public final class ChainReader implements Closeable {
  private final Path dataDir;
  private final SegmentedLog records;
  private final MerkleTree tree;
  private final DataDirLock lock;
  private BinIndex bins;

  private ChainReader(Path dataDir, SegmentedLog records, MerkleTree tree, DataDirLock lock) {
    this.dataDir = dataDir;
    this.lock = lock;
    this.records = records;
    this.tree = tree;
  }

  /**
   * Opens {@code dataDir}.
   *
   * @throws NoSuchFileException if it holds no log
   */
  public static ChainReader open(Path dataDir) throws IOException {
    if (!Files.isDirectory(dataDir.resolve("log"))) {
      throw new NoSuchFileException(dataDir + ": no lightchain log here");
    }
    DataDirLock lock = DataDirLock.acquire(dataDir);
    SegmentedLog records;
    try {
      records = SegmentedLog.open(dataDir, LogOptions.defaults());
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
    MerkleTree tree = null;
    try {
      tree = MerkleTree.open(DataDirLayout.merkle(dataDir));
      // Bring the derived tree up to the log. Lost (quarantined) records enter as
      // TreeSync.LOST_LEAF, so a damaged
      // log still opens and verification reports the loss. A tree that reaches beyond the log is
      // left alone: the
      // writer relies on it to never reuse indices, and verification reports the vanished entries.
      if (tree.size() <= records.size()) {
        TreeSync.reconcile(tree, records);
      }
      return new ChainReader(dataDir, records, tree, lock);
    } catch (IOException | RuntimeException e) {
      records.close();
      if (tree != null) {
        tree.close();
      }
      lock.close();
      throw e;
    }
  }

  /** The key in {@code keys/device.pub.pem}, registered before the first entry. */
  public List<PublicKey> deviceKeys() throws IOException {
    Path pem = DataDirLayout.devicePublicKey(dataDir);
    return List.of(PublicKeys.fromPem(Files.readString(pem, StandardCharsets.US_ASCII)));
  }

  public long size() {
    return records.size();
  }

  /** The exact COSE_Sign1 bytes of entry {@code index}. */
  public Bytes read(long index) throws IOException {
    return records.read(index);
  }

  /** True if entry {@code index} was lost to damage. */
  public boolean isLost(long index) {
    return records.isLost(index);
  }

  /**
   * The derived bin index ({@code index/bins.mapdb}), opened at the first call and caught up from
   * the log at each look-up.
   */
  public synchronized BinIndex binIndex() throws IOException {
    if (bins == null) {
      bins = BinIndex.open(dataDir, records);
    }
    return bins;
  }

  /** Every block, read strictly: any damage to the block file throws. */
  public List<Block> blocks() throws IOException {
    return BlockStore.readStrict(dataDir);
  }

  public Optional<SignedNote> checkpoint() throws IOException {
    return new CheckpointStore(dataDir).load();
  }

  /** The stored Merkle tree, at least as large as the log. */
  public MerkleTree tree() {
    return tree;
  }

  /**
   * Verifies the whole chain (see {@link ChainVerifier}); damage to the block or checkpoint file is
   * a failure.
   */
  public VerificationResult verify(LongConsumer progress) throws IOException {
    List<Block> blocks;
    Optional<SignedNote> cp;
    try {
      blocks = blocks();
    } catch (IOException e) {
      return failed("blocks: " + e.getMessage());
    }
    try {
      cp = checkpoint();
    } catch (RuntimeException e) {
      return failed("checkpoint file: " + e.getMessage());
    }
    return new ChainVerifier(deviceKeys())
        .onProgress(progress)
        .verify(
            new LogEntrySource(
                records, i -> i < tree.size() ? Optional.of(tree.leafHash(i)) : Optional.empty()),
            blocks,
            cp);
  }

  private VerificationResult failed(String reason) {
    return VerificationResult.invalid(0, 0, 0, Rfc9162.emptyRoot(), reason);
  }

  @Override
  public void close() throws IOException {
    try {
      try {
        if (bins != null) {
          bins.close();
        }
      } finally {
        tree.close();
      }
    } finally {
      try {
        records.close();
      } finally {
        lock.close();
      }
    }
  }
}
