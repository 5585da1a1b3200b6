package io.haulproof.lightchain;

import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.block.BlockStore;
import io.haulproof.lightchain.checkpoint.CheckpointStore;
import io.haulproof.lightchain.checkpoint.SignedNote;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.log.SegmentedLog;
import io.haulproof.lightchain.merkle.MerkleTree;
import io.haulproof.lightchain.merkle.Rfc9162;
import io.haulproof.lightchain.merkle.StoredLeaves;
import io.haulproof.lightchain.verify.ChainVerifier;
import io.haulproof.lightchain.verify.VerificationResult;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * {@code chain verify}: checks a data dir without changing it.
 *
 * <p>Security guarantees: nothing under the data dir is written, cut, created or copied (the log is
 * opened with {@link SegmentedLog#openReadOnly}, the lock is a shared one on the existing lock
 * file, the Merkle tree is not opened: only its leaf file is read, for the leaf hashes of lost
 * entries), so verification leaves the evidence exactly as found and runs on a read-only or full
 * disk. Besides everything {@link ChainVerifier} checks, it catches every deletion that the stored
 * tree head or the signed checkpoint reveals: entries that were committed (the tree head or
 * checkpoint counts them) but are no longer in the log, even when no block covers them yet.
 */
public final class ChainAudit implements Closeable {
  private final Path dataDir;
  private final DataDirLock lock;
  private final SegmentedLog records;

  private ChainAudit(Path dataDir, DataDirLock lock, SegmentedLog records) {
    this.dataDir = dataDir;
    this.lock = lock;
    this.records = records;
  }

  /**
   * Opens {@code dataDir} for reading only.
   *
   * @throws java.nio.file.NoSuchFileException if it holds no log
   * @throws IOException if a writer (a running agent) holds the data dir
   */
  public static ChainAudit open(Path dataDir) throws IOException {
    if (!Files.isDirectory(dataDir.resolve("log"))) {
      throw new java.nio.file.NoSuchFileException(dataDir + ": no lightchain log here");
    }
    DataDirLock lock = DataDirLock.shared(dataDir);
    try {
      return new ChainAudit(dataDir, lock, SegmentedLog.openReadOnly(dataDir));
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /** Entries in the log (lost ones included; a torn, never acknowledged tail not). */
  public long size() {
    return records.size();
  }

  /** The exact COSE_Sign1 bytes of entry {@code index}, read without changing anything. */
  public io.haulproof.lightchain.bytes.Bytes read(long index) throws IOException {
    return records.read(index);
  }

  /** True if entry {@code index} was lost to damage (found by the read-only scan). */
  public boolean isLost(long index) {
    return records.isLost(index);
  }

  /** Every block, read strictly and without changing anything. */
  public List<Block> blocks() throws IOException {
    return BlockStore.readStrict(dataDir);
  }

  /** Verifies the chain; damage to the block or checkpoint file is a failure. */
  public VerificationResult verify(LongConsumer progress) throws IOException {
    List<Block> blocks;
    Optional<SignedNote> cp;
    try {
      blocks = BlockStore.readStrict(dataDir);
    } catch (IOException e) {
      return failed("blocks: " + e.getMessage());
    }
    try {
      cp = new CheckpointStore(dataDir).load();
    } catch (RuntimeException e) {
      return failed("checkpoint file: " + e.getMessage());
    }
    long logSize = records.size();
    Optional<Long> head = MerkleTree.recordedSize(DataDirLayout.merkle(dataDir));
    if (head.isPresent() && head.get() > logSize) {
      return failed(missing(logSize, head.get(), "the Merkle tree head records"));
    }
    Optional<Long> signed = cp.flatMap(ChainVerifier::checkpointSize);
    if (signed.isPresent() && signed.get() > logSize) {
      return failed(missing(logSize, signed.get(), "the signed checkpoint covers"));
    }
    try (StoredLeaves leaves = StoredLeaves.open(DataDirLayout.merkle(dataDir))) {
      return new ChainVerifier(
              List.of(
                  PublicKeys.fromPem(
                      Files.readString(
                          DataDirLayout.devicePublicKey(dataDir), StandardCharsets.US_ASCII))))
          .onProgress(progress)
          .verify(new LogEntrySource(records, leaves::leafHash), blocks, cp);
    }
  }

  private static String missing(long logSize, long committed, String source) {
    return "entries "
        + logSize
        + ".."
        + (committed - 1)
        + " are missing from the log (deleted or truncated): "
        + source
        + " "
        + committed
        + " entries, the log holds "
        + logSize;
  }

  private static VerificationResult failed(String reason) {
    return VerificationResult.invalid(0, 0, 0, Rfc9162.emptyRoot(), reason);
  }

  @Override
  public void close() throws IOException {
    try {
      records.close();
    } finally {
      lock.close();
    }
  }
}
