package io.haulproof.agent.runtime;

import io.haulproof.agent.lift.CollectionEvent;
import io.haulproof.agent.status.BinLookup;
import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.checkpoint.SignedNote;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.entry.ReadingBody;
import io.haulproof.lightchain.log.LogCursor;
import io.haulproof.lightchain.log.LogRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The runtime's evidence log over lightchain's {@link Lightchain} facade: appends are signed and
 * acknowledged once durable; blocks close by the facade's own rules (N entries or T ms), each
 * followed by a signed checkpoint, so the number of checkpoints signed equals the number of blocks.
 * Its bin look-up reads the log's derived bin index.
 */
public final class LightchainEvidence implements EvidencePort, BinLookup {
  private static final long FLUSH_TIMEOUT_S = 60;

  private final Lightchain chain;
  private volatile Instant lastCheckpoint;
  private long reportedBlocks;
  private long reportedCheckpointSize;

  public LightchainEvidence(Lightchain chain) {
    this.chain = chain;
    this.reportedBlocks = chain.blockCount();
    this.reportedCheckpointSize = checkpointSize(chain.checkpoint());
    chain.addCheckpointListener(n -> lastCheckpoint = Instant.now());
  }

  public Lightchain chain() {
    return chain;
  }

  @Override
  public CompletionStage<Appended> append(CollectionEvent event) {
    return chain
        .append(CollectionMapper.toBody(event))
        .thenApply(a -> new Appended(a.index(), a.seq()));
  }

  @Override
  public CompletionStage<Appended> appendBody(io.haulproof.lightchain.entry.EntryBody body) {
    return chain.append(body).thenApply(a -> new Appended(a.index(), a.seq()));
  }

  @Override
  public java.util.List<String> lossesAtOpen() {
    return chain.log().lossSummaries();
  }

  @Override
  public void forEachReading(Consumer<ReadingBody> action) throws IOException {
    LogCursor c = chain.log().cursor(0);
    for (LogRecord r = c.next(); r != null; r = c.next()) {
      Entry e;
      try {
        e = EntryCodec.decode(CoseSign1.decode(r.payload()));
      } catch (RuntimeException malformed) {
        // chain verify reports it; the counters come from the entries that are readable
        continue;
      }
      if (e.body() instanceof ReadingBody reading) {
        action.accept(reading);
      }
    }
  }

  @Override
  public synchronized int cutBlocks(boolean force) throws Exception {
    if (force) {
      chain.flush().get(FLUSH_TIMEOUT_S, TimeUnit.SECONDS);
    }
    chain
        .failure()
        .ifPresent(
            e -> {
              throw new IllegalStateException("block sealing stopped: " + e.getMessage(), e);
            });
    long n = chain.blockCount();
    int cut = (int) (n - reportedBlocks);
    reportedBlocks = n;
    return cut;
  }

  @Override
  public synchronized OptionalLong checkpoint() {
    long size = checkpointSize(chain.checkpoint());
    if (size > reportedCheckpointSize) {
      reportedCheckpointSize = size;
      return OptionalLong.of(size);
    }
    return OptionalLong.empty();
  }

  private static long checkpointSize(Optional<SignedNote> note) {
    return note.map(n -> Checkpoint.parse(n.text()).size()).orElse(0L);
  }

  @Override
  public Optional<java.nio.file.Path> dataDir() {
    return Optional.of(chain.dataDir());
  }

  /** Blocking: through the derived bin index, each hit re-read from the log. */
  @Override
  public java.util.List<io.haulproof.lightchain.index.BinIndex.Lift> lifts(
      io.haulproof.lightchain.bytes.Bytes tag) throws java.io.IOException {
    return chain.lifts(tag);
  }

  @Override
  public ChainStats stats() {
    long blocks = chain.blockCount();
    return new ChainStats(
        chain.log().size(), blocks, blocks, lastCheckpoint, chain.log().records().lossCount());
  }

  @Override
  public void close() throws Exception {
    chain.close();
  }
}
