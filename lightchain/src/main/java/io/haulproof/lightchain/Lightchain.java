package io.haulproof.lightchain;

import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.block.BlockBuilder;
import io.haulproof.lightchain.block.BlockStore;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.checkpoint.SignedNote;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.entry.EntryBody;
import io.haulproof.lightchain.entry.LossBody;
import io.haulproof.lightchain.files.DurableFiles;
import io.haulproof.lightchain.index.BinIndex;
import io.haulproof.lightchain.index.DerivedStateStore;
import io.haulproof.lightchain.index.mapdb.MapDbStateStore;
import io.haulproof.lightchain.log.Appended;
import io.haulproof.lightchain.log.EvidenceLog;
import io.haulproof.lightchain.log.WallClock;
import io.haulproof.lightchain.poah.EntryKeys;
import io.haulproof.lightchain.verify.ChainVerifier;
import io.haulproof.lightchain.verify.EntrySource;
import io.haulproof.lightchain.verify.VerificationResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * The lightchain: the evidence log, blocks authenticated by Proof-of-Authentication, and signed
 * checkpoints, behind one facade for the agent, the uplink, the demo and the benchmarks.
 *
 * <p>{@link #append} acknowledges an entry once it is durable in the log. Blocks are cut behind it
 * on one block thread after {@code blockMaxEntries} entries or {@code blockMaxMillis}; each is
 * proposed and authenticated by this node (single-node PoAh, quorum 1), forced to {@code
 * blocks/blocks.dat}, and followed by a checkpoint signed with the device key and saved atomically.
 * {@link #close()} cuts a final block for any remaining entries. Damage to the block file found at
 * open is quarantined and stated in a signed {@code loss} entry, and the lost blocks are re-created
 * from the log, and so are blocks at the end that no longer match the log (its tail lost, or
 * restored from an older copy). If sealing a block ever fails, no further blocks are cut and {@link
 * #failure()} says why.
 *
 * <p>The jobs live in small parts behind this facade: {@link BlockSealer} (sealing blocks and
 * checkpoints, switching keys), {@link BlockRepair} (repairing the block file at open), {@link
 * EquivocationRecord} (recording equivocation), {@link ReceiptsCanWait} (no block for receipts
 * alone) and {@link io.haulproof.lightchain.block.BlockBuilder} (when blocks close).
 */
public final class Lightchain implements AutoCloseable {
  private final Path dataDir;
  private final DataDirLock lock;
  private final EvidenceLog log;
  private final BlockStore blocks;
  private final DerivedStateStore blockIndex;
  private final LightchainOptions options;
  private final ScheduledExecutorService blockThread;
  private final BlockBuilder builder;
  private final BlockSealer sealer;
  private final Object binsLock = new Object();
  private BinIndex bins;

  private Lightchain(
      Path dataDir,
      EvidenceLog log,
      BlockStore blocks,
      DerivedStateStore blockIndex,
      LightchainOptions options,
      DeviceKey key,
      DataDirLock lock)
      throws IOException {
    this.dataDir = dataDir;
    this.lock = lock;
    this.log = log;
    this.blocks = blocks;
    this.blockIndex = blockIndex;
    this.options = options;
    long next = blocks.last().map(b -> b.header().treeSize()).orElse(0L);
    this.sealer =
        new BlockSealer(
            dataDir,
            log,
            blocks,
            options,
            LogBlockContext.at(log, registeredKeys(dataDir, key), next),
            key);
    this.blockThread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "lightchain-blocks");
              t.setDaemon(true);
              return t;
            });
    this.builder =
        new BlockBuilder(
            next,
            options.blockMaxEntries(),
            options.blockMaxMillis(),
            blockThread,
            sealer::seal,
            new ReceiptsCanWait(log));
  }

  /**
   * Opens or creates the lightchain in {@code dataDir}: the evidence log (recovering it), the block
   * file (recovering it, quarantining damage) and the latest checkpoint; entries not yet in a block
   * are cut into blocks by the usual rules.
   *
   * @throws IOException if a file cannot be read, or the blocks describe more entries than the log
   *     holds
   */
  public static Lightchain open(
      Path dataDir, DeviceKey key, String deviceId, LightchainOptions options) throws IOException {
    return open(dataDir, key, deviceId, options, WallClock.system());
  }

  /**
   * As {@link #open(Path, DeviceKey, String, LightchainOptions)}, with entry headers stamped by
   * {@code clock} (its wall time, time source and uncertainty), e.g. the agent's GNSS-disciplined
   * clock.
   *
   * @throws IOException if a file cannot be read, or the blocks describe more entries than the log
   *     holds
   */
  public static Lightchain open(
      Path dataDir, DeviceKey key, String deviceId, LightchainOptions options, WallClock clock)
      throws IOException {
    java.util.Objects.requireNonNull(clock, "clock");
    DataDirLock lock = DataDirLock.acquire(dataDir);
    EvidenceLog log;
    try {
      writePublicKeyIfAbsent(dataDir, key);
      log = EvidenceLog.open(dataDir, key, deviceId, options.log(), clock);
    } catch (IOException | RuntimeException e) {
      lock.close();
      throw e;
    }
    BlockStore blocks = null;
    DerivedStateStore blockIndex = null;
    try {
      blockIndex =
          MapDbStateStore.open(
              DataDirLayout.blockIndex(dataDir), DataDirLayout.quarantine(dataDir));
      blocks = BlockStore.open(dataDir, blockIndex);
      Optional<LossBody> diverged = BlockRepair.reconcile(blocks, log, dataDir);
      Lightchain chain = new Lightchain(dataDir, log, blocks, blockIndex, options, key, lock);
      Optional<LossBody> damaged = BlockRepair.damageStatement(blocks.recovery(), dataDir);
      if (damaged.isPresent()) {
        chain.appendNow(damaged.get());
      }
      if (diverged.isPresent()) {
        chain.appendNow(diverged.get());
      }
      log.addCommitListener(chain.builder::committed);
      chain.builder.committed(log.size());
      return chain;
    } catch (IOException | RuntimeException e) {
      if (blocks != null) {
        blocks.close();
      }
      if (blockIndex != null) {
        blockIndex.close();
      }
      log.close();
      lock.close();
      throw e;
    }
  }

  /**
   * Signs, sequences and appends {@code body}; completes once the entry is durable (acknowledged).
   */
  public CompletableFuture<Appended> append(EntryBody body) {
    return log.append(body);
  }

  /**
   * Signs everything from now on with {@code next}: entries sequenced after this call, and blocks
   * and checkpoints sealed after it returns. Append the {@code key} entry (ROTATE) that registers
   * {@code next} before calling this, so it is signed by the current key and verifiers learn {@code
   * next} from the chain itself.
   *
   * @throws IOException if the block thread does not take the new key (sealing failed or timed out)
   */
  public void switchKey(DeviceKey next) throws IOException {
    java.util.Objects.requireNonNull(next, "next");
    log.switchKey(next);
    try {
      CompletableFuture.runAsync(() -> sealer.useKey(next), blockThread).get(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while switching the block signer to " + next.kid(), e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IOException("the block signer did not switch to " + next.kid() + ": " + e, e);
    }
  }

  /**
   * The latest signed checkpoint (signed each time a block closes), if any block has closed yet.
   */
  public Optional<SignedNote> checkpoint() {
    return sealer.latest();
  }

  /** Tells {@code listener} about every new checkpoint, on the block thread; keep it short. */
  public void addCheckpointListener(Consumer<SignedNote> listener) {
    sealer.addListener(listener);
  }

  /**
   * Cuts every committed entry into blocks now; completes with the latest checkpoint once they are
   * sealed.
   */
  public CompletableFuture<Optional<SignedNote>> flush() {
    return builder.flush(log.size()).thenApply(v -> sealer.latest());
  }

  /**
   * How often the block timer passed without closing a block because only witness receipts were
   * pending (they wait for the next block that closes for another reason).
   */
  public long deferredBlocks() {
    return builder.deferredCuts();
  }

  /**
   * The sealed blocks, oldest first: a view that reads each block from disk when asked (nothing per
   * block is held in memory); its size is the count at this call.
   */
  public List<Block> blocks() {
    return blocks.blocks();
  }

  /** How many blocks are sealed. */
  public long blockCount() {
    return blocks.size();
  }

  /**
   * Verifies the whole chain in this process, over the open log (see {@link ChainVerifier}); the
   * way to verify a data dir while this lightchain holds it. Call {@link #flush()} first to include
   * every entry in a block.
   */
  public VerificationResult verify(LongConsumer progress) throws IOException {
    List<Block> sealed = blocks();
    EntrySource source =
        new EntrySource() {
          @Override
          public long size() {
            return log.size();
          }

          @Override
          public Bytes read(long index) throws IOException {
            return log.read(index);
          }

          @Override
          public boolean isLost(long index) {
            return log.records().isLost(index);
          }

          @Override
          public Hash lostLeafHash(long index) {
            return index < log.tree().size() ? log.tree().leafHash(index) : LOST_LEAF;
          }
        };
    List<java.security.PublicKey> keys =
        List.of(
            PublicKeys.fromPem(
                Files.readString(
                    DataDirLayout.devicePublicKey(dataDir), StandardCharsets.US_ASCII)));
    return new ChainVerifier(keys).onProgress(progress).verify(source, sealed, sealer.latest());
  }

  /** The evidence log underneath, for reads, cursors and proofs. */
  public EvidenceLog log() {
    return log;
  }

  public LightchainOptions options() {
    return options;
  }

  public Path dataDir() {
    return dataDir;
  }

  /** Why block sealing stopped, if it did. */
  public Optional<Throwable> failure() {
    return sealer.failure();
  }

  /**
   * The lifts of bin {@code tag} in log order, through the derived bin index ({@code
   * index/bins.mapdb}, opened at the first look-up and caught up from the log at each; see {@link
   * BinIndex}). Blocks the caller: never call it on an event loop.
   */
  public List<BinIndex.Lift> lifts(Bytes tag) throws IOException {
    synchronized (binsLock) {
      if (bins == null) {
        bins = BinIndex.open(dataDir, log.records());
      }
      return bins.lifts(tag);
    }
  }

  /** Cuts a final block, then closes the block file and the log. */
  @Override
  public void close() throws IOException {
    IOException error = null;
    try {
      builder.flush(log.size()).get(5, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      error =
          new IOException(
              "the final block could not be sealed: " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = new IOException("interrupted while sealing the final block", e);
    } catch (java.util.concurrent.TimeoutException e) {
      error = new IOException("timed out sealing the final block", e);
    }
    builder.close();
    blockThread.shutdown();
    try {
      blockThread.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      try {
        blocks.close();
      } finally {
        try {
          blockIndex.close();
        } finally {
          synchronized (binsLock) {
            if (bins != null) {
              bins.close();
            }
          }
        }
      }
    } finally {
      try {
        log.close();
      } finally {
        lock.close();
      }
    }
    if (error != null) {
      throw error;
    }
  }

  private void appendNow(LossBody loss) throws IOException {
    try {
      log.append(loss).get(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while logging block damage", e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IOException("could not log block damage: " + e, e);
    }
  }

  private static EntryKeys registeredKeys(Path dataDir, DeviceKey key) throws IOException {
    EntryKeys keys = EntryKeys.of(key.publicKey());
    Path pem = DataDirLayout.devicePublicKey(dataDir);
    if (Files.exists(pem)) {
      keys.register(PublicKeys.fromPem(Files.readString(pem, StandardCharsets.US_ASCII)));
    }
    return keys;
  }

  private static void writePublicKeyIfAbsent(Path dataDir, DeviceKey key) throws IOException {
    Path pem = DataDirLayout.devicePublicKey(dataDir);
    if (!Files.exists(pem)) {
      DurableFiles.write(
          pem, PublicKeys.toPem(key.publicKey()).getBytes(StandardCharsets.US_ASCII));
    }
  }
}
