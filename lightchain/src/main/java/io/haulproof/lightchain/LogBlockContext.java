package io.haulproof.lightchain;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.entry.EntryHeader;
import io.haulproof.lightchain.log.EvidenceLog;
import io.haulproof.lightchain.poah.BlockContext;
import io.haulproof.lightchain.poah.EntryKeys;
import io.haulproof.lightchain.poah.RuleResult;
import io.haulproof.lightchain.poah.SequenceTracker;
import io.haulproof.lightchain.poah.SignedEntry;
import java.io.IOException;

/**
 * The live evidence log as the PoAh rules see it, with the key and sequence state as of the end of
 * the last sealed block; {@link #advance} moves that state over a newly sealed block. Used only on
 * the block thread.
 */
final class LogBlockContext implements BlockContext {
  private final EvidenceLog log;
  private final EntryKeys keys;
  private final SequenceTracker sequences;

  LogBlockContext(EvidenceLog log, EntryKeys keys, SequenceTracker sequences) {
    this.log = log;
    this.keys = keys;
    this.sequences = sequences;
  }

  /**
   * The state before entry {@code nextIndex}: the device's registered keys, and the position of the
   * last readable entry before it, moved past the lost indices that follow it (this log holds one
   * device's entries).
   */
  static LogBlockContext at(EvidenceLog log, EntryKeys keys, long nextIndex) throws IOException {
    SequenceTracker seq = new SequenceTracker();
    for (long i = nextIndex - 1; i >= 0; i--) {
      if (log.records().isLost(i)) {
        continue;
      }
      try {
        EntryHeader h = SignedEntry.parse(i, log.read(i)).entry().header();
        // Lost indices after it held this device's next seqs (one entry per index, seq + 1 per
        // entry, as EvidenceLog resumes): a block after a lost tail continues after them.
        seq =
            SequenceTracker.startingAt(h.deviceId(), h.bootEpoch(), h.seq() + (nextIndex - 1 - i));
      } catch (SignedEntry.MalformedEntryException e) {
        throw new IOException("cannot resume the chain: " + e.getMessage(), e);
      }
      break;
    }
    return new LogBlockContext(log, keys, seq);
  }

  @Override
  public long logSize() {
    return log.size();
  }

  @Override
  public Hash rootAt(long treeSize) {
    return log.tree().root(treeSize);
  }

  @Override
  public Bytes entry(long index) throws IOException {
    return log.read(index);
  }

  @Override
  public EntryKeys keys() {
    return keys;
  }

  @Override
  public SequenceTracker sequences() {
    return sequences;
  }

  /**
   * Moves the key and sequence state over entries {@code [first, first + count)} of an accepted
   * block.
   */
  void advance(long first, long count) throws IOException {
    for (long i = first; i < first + count; i++) {
      SignedEntry e;
      try {
        e = SignedEntry.parse(i, log.read(i));
      } catch (SignedEntry.MalformedEntryException ex) {
        throw new IOException("accepted block holds a malformed entry: " + ex.getMessage(), ex);
      }
      EntryHeader h = e.entry().header();
      RuleResult r = sequences.accept(i, h.deviceId(), h.bootEpoch(), h.seq());
      if (!r.passed()) {
        throw new IllegalStateException(
            "accepted block breaks the sequence rules: " + r.describe());
      }
      e.applyTo(keys);
    }
  }
}
