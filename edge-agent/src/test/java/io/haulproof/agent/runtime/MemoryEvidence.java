package io.haulproof.agent.runtime;

import io.haulproof.agent.lift.CollectionEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory evidence log for runtime tests: records calls in order and which threads made them.
 */
final class MemoryEvidence implements EvidencePort {
  final List<CollectionEvent> entries = new CopyOnWriteArrayList<>();
  final List<String> calls = new CopyOnWriteArrayList<>();
  final List<String> blockingThreads = new CopyOnWriteArrayList<>();
  private long blocks;
  private long checkpoints;
  private long checkpointed;
  private long blocked;
  private Instant lastCheckpoint;
  volatile boolean failAppends;

  @Override
  public synchronized CompletionStage<Appended> append(CollectionEvent event) {
    blockingThreads.add(Thread.currentThread().getName());
    if (failAppends) {
      return CompletableFuture.failedFuture(new java.io.IOException("disk full"));
    }
    entries.add(event);
    calls.add("append");
    return CompletableFuture.completedFuture(new Appended(entries.size() - 1, entries.size()));
  }

  final List<io.haulproof.lightchain.entry.EntryBody> bodies = new CopyOnWriteArrayList<>();

  @Override
  public synchronized CompletionStage<Appended> appendBody(
      io.haulproof.lightchain.entry.EntryBody body) {
    blockingThreads.add(Thread.currentThread().getName()); // signing and the log's lock block
    bodies.add(body);
    calls.add("append " + body.kind());
    return CompletableFuture.completedFuture(
        new Appended(entries.size() + bodies.size() - 1, entries.size() + bodies.size()));
  }

  @Override
  public void forEachReading(
      java.util.function.Consumer<io.haulproof.lightchain.entry.ReadingBody> action) {
    for (io.haulproof.lightchain.entry.EntryBody b : bodies) {
      if (b instanceof io.haulproof.lightchain.entry.ReadingBody r) {
        action.accept(r);
      }
    }
  }

  @Override
  public synchronized int cutBlocks(boolean force) {
    blockingThreads.add(Thread.currentThread().getName());
    if (entries.size() > blocked) {
      blocked = entries.size();
      blocks++;
      calls.add("block");
      return 1;
    }
    return 0;
  }

  @Override
  public synchronized OptionalLong checkpoint() {
    blockingThreads.add(Thread.currentThread().getName());
    if (entries.size() > checkpointed) {
      checkpointed = entries.size();
      checkpoints++;
      lastCheckpoint = Instant.now();
      calls.add("checkpoint " + checkpointed);
      return OptionalLong.of(checkpointed);
    }
    return OptionalLong.empty();
  }

  @Override
  public synchronized ChainStats stats() {
    return new ChainStats(entries.size(), blocks, checkpoints, lastCheckpoint, 0);
  }

  @Override
  public void close() {
    blockingThreads.add(Thread.currentThread().getName());
    calls.add("close");
  }

  synchronized List<String> callsSnapshot() {
    return new ArrayList<>(calls);
  }
}
