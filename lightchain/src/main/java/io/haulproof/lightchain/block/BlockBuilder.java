package io.haulproof.lightchain.block;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Decides when a block closes: after {@code maxEntries} committed entries or {@code maxMillis}
 * after the first entry not yet in a block, whichever comes first; an empty block is never cut.
 *
 * <p>All cutting runs on the one scheduled executor it is given, so blocks are sealed strictly in
 * order; {@link #committed(long)} may be called from any thread (typically the log's commit
 * listener). A block never holds more than {@code maxEntries} entries: a large group commit is cut
 * into several blocks. If the {@link Sealer} fails, the builder stops and every later {@link
 * #flush()} fails with that cause: a block must never be skipped.
 *
 * <p>A {@link Deferral} may let the timer pass without a cut when every pending entry can wait
 * (e.g. witness receipts: a receipt that caused a block would cause a checkpoint, which the witness
 * cosigns, which causes a receipt, forever). Such entries go into the next block that closes for
 * another reason: a further entry's timer, {@code maxEntries}, or {@link #flush()}.
 */
public final class BlockBuilder implements AutoCloseable {
  /** Closes one block over log entries {@code [firstIndex, firstIndex + count)}. */
  @FunctionalInterface
  public interface Sealer {
    void seal(long firstIndex, long count) throws Exception;
  }

  /** Says whether entries {@code [firstIndex, firstIndex + count)} may wait for a later block. */
  @FunctionalInterface
  public interface Deferral {
    boolean canWait(long firstIndex, long count);

    Deferral NEVER = (first, count) -> false;
  }

  private final int maxEntries;
  private final long maxMillis;
  private final ScheduledExecutorService executor;
  private final Sealer sealer;
  private final Deferral deferral;
  private final java.util.concurrent.atomic.AtomicLong deferred =
      new java.util.concurrent.atomic.AtomicLong();

  // Guarded by the executor thread.
  private long nextFirstIndex;
  private long committedSize;
  private ScheduledFuture<?> timer;
  private Throwable failure;

  /**
   * @param nextFirstIndex index of the first entry not yet in a block (the last block's first +
   *     count, or 0)
   * @param maxEntries at least 1
   * @param maxMillis at least 1
   */
  public BlockBuilder(
      long nextFirstIndex,
      int maxEntries,
      long maxMillis,
      ScheduledExecutorService executor,
      Sealer sealer) {
    this(nextFirstIndex, maxEntries, maxMillis, executor, sealer, Deferral.NEVER);
  }

  /** As above, with {@code deferral} deciding whether the timer may pass without a cut. */
  public BlockBuilder(
      long nextFirstIndex,
      int maxEntries,
      long maxMillis,
      ScheduledExecutorService executor,
      Sealer sealer,
      Deferral deferral) {
    if (nextFirstIndex < 0 || maxEntries < 1 || maxMillis < 1) {
      throw new IllegalArgumentException(
          "need nextFirstIndex >= 0, maxEntries >= 1, maxMillis >= 1; got "
              + nextFirstIndex
              + ", "
              + maxEntries
              + ", "
              + maxMillis);
    }
    this.nextFirstIndex = nextFirstIndex;
    this.committedSize = nextFirstIndex;
    this.maxEntries = maxEntries;
    this.maxMillis = maxMillis;
    this.executor = executor;
    this.sealer = sealer;
    this.deferral = java.util.Objects.requireNonNull(deferral, "deferral");
  }

  /** Tells the builder that the log now durably holds {@code treeSize} entries. */
  public void committed(long treeSize) {
    executor.execute(() -> onCommitted(treeSize));
  }

  /**
   * Cuts every pending entry into blocks now; completes when they are sealed (or at once if none
   * are pending).
   */
  public CompletableFuture<Void> flush() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    executor.execute(
        () -> {
          cutAll();
          if (failure != null) {
            done.completeExceptionally(failure);
          } else {
            done.complete(null);
          }
        });
    return done;
  }

  /**
   * Cuts every pending entry, bounded by {@code treeSize}; for callers that know the size before
   * its listener ran.
   */
  public CompletableFuture<Void> flush(long treeSize) {
    committed(treeSize);
    return flush();
  }

  private void onCommitted(long treeSize) {
    if (treeSize <= committedSize) {
      return;
    }
    committedSize = treeSize;
    while (failure == null && committedSize - nextFirstIndex >= maxEntries) {
      sealOne(maxEntries);
      cancelTimer(); // the timer belonged to entries now sealed; the rest get their own full T
    }
    if (failure == null && committedSize > nextFirstIndex && timer == null) {
      timer = executor.schedule(this::onTimer, maxMillis, TimeUnit.MILLISECONDS);
    }
    if (committedSize == nextFirstIndex) {
      cancelTimer();
    }
  }

  private void onTimer() {
    timer = null;
    long pending = committedSize - nextFirstIndex;
    if (failure == null && pending > 0 && deferral.canWait(nextFirstIndex, pending)) {
      deferred.incrementAndGet();
      return;
    }
    cutAll();
  }

  /** How often the timer passed without a cut because every pending entry could wait. */
  public long deferredCuts() {
    return deferred.get();
  }

  private void cutAll() {
    cancelTimer();
    while (failure == null && committedSize > nextFirstIndex) {
      sealOne((int) Math.min(maxEntries, committedSize - nextFirstIndex));
    }
  }

  private void sealOne(int count) {
    try {
      sealer.seal(nextFirstIndex, count);
      nextFirstIndex += count;
    } catch (Exception | Error e) {
      failure = e;
      cancelTimer();
    }
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  /** Cancels the timer without cutting; {@link #flush()} first to cut a final block. */
  @Override
  public void close() {
    executor.execute(this::cancelTimer);
  }
}
