package io.haulproof.agent.runtime;

import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.uplink.checkpoint.CheckpointSource;
import io.haulproof.uplink.outbox.EntrySource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * The lightchain as the uplink reads it: durable entries for the outbox, checkpoints and proofs for
 * the witness.
 */
public final class ChainEntrySource implements EntrySource, CheckpointSource {
  private final Lightchain chain;

  public ChainEntrySource(Lightchain chain) {
    this.chain = chain;
  }

  @Override
  public long size() {
    return chain.log().size();
  }

  @Override
  public Bytes read(long index) {
    if (index < 0 || index >= size()) {
      throw new IndexOutOfBoundsException("entry " + index + " of " + size());
    }
    try {
      return chain.log().read(index);
    } catch (IOException e) {
      throw new UncheckedIOException("reading entry " + index + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void onCommit(LongConsumer newSize) {
    chain.log().addCommitListener(newSize);
  }

  @Override
  public Optional<Signed> latest() {
    return chain
        .checkpoint()
        .map(
            n -> {
              Checkpoint c = Checkpoint.parse(n.text());
              return new Signed(c.size(), c.root(), n.encode());
            });
  }

  @Override
  public Hash root(long size) {
    return chain.log().tree().root(size);
  }

  @Override
  public List<Hash> consistencyProof(long from, long to) {
    if (from == 0 || from == to) {
      return List.of();
    }
    return chain.log().tree().consistencyProof(from, to);
  }
}
