package io.haulproof.uplink.source;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.checkpoint.CheckpointStore;
import io.haulproof.lightchain.checkpoint.SignedNote;
import io.haulproof.lightchain.log.EvidenceLog;
import io.haulproof.lightchain.log.LostRecordException;
import io.haulproof.uplink.checkpoint.CheckpointSource;
import io.haulproof.uplink.outbox.EntrySource;
import io.haulproof.uplink.outbox.LostEntryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * The uplink's view of lightchain's {@link EvidenceLog}: entries by index, commit notifications,
 * the tree for roots and proofs, and the latest signed checkpoint from the {@link CheckpointStore}
 * of the same data dir.
 */
public final class EvidenceLogSource implements EntrySource, CheckpointSource {
  private final EvidenceLog log;
  private final CheckpointStore checkpoints;

  public EvidenceLogSource(EvidenceLog log, Path dataDir) {
    this.log = log;
    this.checkpoints = new CheckpointStore(dataDir);
  }

  @Override
  public long size() {
    return log.size();
  }

  @Override
  public Bytes read(long index) {
    try {
      return log.read(index);
    } catch (LostRecordException e) {
      throw new LostEntryException(index, log.tree().leafHash(index), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read entry " + index + " for the uplink", e);
    }
  }

  @Override
  public void onCommit(LongConsumer newSize) {
    log.addCommitListener(newSize);
  }

  @Override
  public Optional<Signed> latest() {
    try {
      Optional<SignedNote> note = checkpoints.load();
      if (note.isEmpty()) {
        return Optional.empty();
      }
      Checkpoint cp = Checkpoint.parse(note.get().text());
      return Optional.of(new Signed(cp.size(), cp.root(), note.get().encode()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the latest checkpoint", e);
    }
  }

  @Override
  public Hash root(long size) {
    return log.tree().root(size);
  }

  @Override
  public List<Hash> consistencyProof(long from, long to) {
    return from == 0 || from == to ? List.of() : log.tree().consistencyProof(from, to);
  }
}
