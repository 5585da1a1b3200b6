package io.haulproof.lightchain.log;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.crypto.DeviceKey;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Hands out sequence numbers, each with the key to sign it under, and submits the signed entries to
 * the record log strictly in sequence order, whatever order their signing finished in.
 *
 * <p>Security guarantees: sequence numbers increase by exactly 1 in log order and resume after the
 * last one the log used ({@link #recoverLastSeq}); a key switch takes effect at one sequence
 * number; once signing failed, every further append is refused, so the sequence never has a gap.
 */
final class Sequencer {
  /** An entry signed under {@code seq}; {@code result} completes once it is durable. */
  record Signed(long seq, Bytes cose, Hash leaf, CompletableFuture<Appended> result) {}

  /** A claimed sequence number and the key to sign it with. */
  record Claim(long seq, DeviceKey key) {}

  private final SegmentedLog records;
  private final Object order = new Object();
  private final TreeMap<Long, Signed> ready = new TreeMap<>();
  private volatile DeviceKey key;
  private long nextSeq;
  private long nextToSubmit;
  private Throwable failure;

  /** Continues after {@code lastSeq}, signing with {@code key}. */
  Sequencer(SegmentedLog records, DeviceKey key, long lastSeq) {
    this.records = records;
    this.key = key;
    this.nextSeq = lastSeq + 1;
    this.nextToSubmit = lastSeq + 1;
  }

  /**
   * The last sequence number the log used: that of the last readable entry ({@code last}, null if
   * none) plus one per index after it.
   */
  static long recoverLastSeq(SegmentedLog records, LossEntries.Last last) {
    // Every index holds one entry and seq grows by one per entry, so lost indices after the last
    // readable entry used seq numbers too: skip them.
    return last == null
        ? records.size()
        : last.header().seq() + (records.size() - 1 - last.index());
  }

  /**
   * Claims the next sequence number and the current key.
   *
   * @throws IllegalStateException once signing failed (see {@link #fail})
   */
  Claim claim() {
    synchronized (order) {
      if (failure != null) {
        throw new IllegalStateException("evidence log failed", failure);
      }
      return new Claim(nextSeq++, key);
    }
  }

  /**
   * Submits {@code s} (its seq claimed here) to the record log once every lower seq was submitted;
   * fails its result if the log failed meanwhile.
   */
  void submit(Signed s) {
    synchronized (order) {
      if (failure != null) {
        s.result().completeExceptionally(new IllegalStateException("evidence log failed", failure));
        return;
      }
      ready.put(s.seq(), s);
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
  }

  /**
   * Signing failed with {@code e}: fails every signed entry still waiting for its turn, and every
   * later claim.
   */
  void fail(Throwable e) {
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

  /** Claims after this call get {@code next}. */
  void switchKey(DeviceKey next) {
    synchronized (order) {
      key = next;
    }
  }

  DeviceKey key() {
    return key;
  }
}
