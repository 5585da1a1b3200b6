package io.haulproof.lightchain;

import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.block.BlockStore;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.checkpoint.CheckpointSigner;
import io.haulproof.lightchain.checkpoint.CheckpointStore;
import io.haulproof.lightchain.checkpoint.SignedNote;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.log.EvidenceLog;
import io.haulproof.lightchain.poah.AuthenticatorSet;
import io.haulproof.lightchain.poah.LocalAuthenticator;
import io.haulproof.lightchain.poah.LocalProposer;
import io.haulproof.lightchain.poah.TrustScores;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Sealing blocks: proposes a block over a range of the log, authenticates it (single-node PoAh,
 * quorum 1), forces it to the block file, signs and saves the checkpoint over it, and tells the
 * listeners. Runs on the block thread only, which is also the only thread that switches its key.
 */
final class BlockSealer {
  private final Path dataDir;
  private final EvidenceLog log;
  private final BlockStore blocks;
  private final LightchainOptions options;
  private final LogBlockContext context;
  private final CheckpointStore checkpoints;
  private final TrustScores trust = new TrustScores(TrustScores.Policy.defaults());
  private final List<Consumer<SignedNote>> listeners = new CopyOnWriteArrayList<>();
  private LocalProposer proposer;
  private LocalAuthenticator authenticator;
  private CheckpointSigner signer;
  private volatile Optional<SignedNote> latest;
  private volatile Throwable failure;

  BlockSealer(
      Path dataDir,
      EvidenceLog log,
      BlockStore blocks,
      LightchainOptions options,
      LogBlockContext context,
      DeviceKey key)
      throws IOException {
    this.dataDir = dataDir;
    this.log = log;
    this.blocks = blocks;
    this.options = options;
    this.context = context;
    this.checkpoints = new CheckpointStore(dataDir);
    this.latest = checkpoints.load();
    useKey(key);
  }

  /** Signs blocks and checkpoints sealed from now on with {@code key}; on the block thread. */
  void useKey(DeviceKey key) {
    proposer = new LocalProposer(key);
    authenticator =
        new LocalAuthenticator(
            key,
            AuthenticatorSet.singleNode(key.publicKey()),
            trust,
            e -> EquivocationRecord.record(dataDir, e));
    signer = new CheckpointSigner(key);
  }

  Optional<SignedNote> latest() {
    return latest;
  }

  Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  void addListener(Consumer<SignedNote> listener) {
    listeners.add(listener);
  }

  /** Seals one block over {@code [first, first + count)}; runs on the block thread. */
  void seal(long first, long count) throws IOException {
    try {
      long size = first + count;
      Optional<Block> parent = blocks.last();
      Block proposed =
          proposer.propose(parent, first, count, log.tree().root(size), System.currentTimeMillis());
      Block sealed =
          proposed.withAuthentication(authenticator.authenticate(proposed, parent, context));
      blocks.append(sealed);
      context.advance(first, count);
      SignedNote note =
          signer.sign(new Checkpoint(options.origin(), size, sealed.header().treeRoot()));
      checkpoints.save(note);
      latest = Optional.of(note);
      for (Consumer<SignedNote> l : listeners) {
        l.accept(note);
      }
    } catch (IOException | RuntimeException e) {
      failure = e;
      throw e;
    }
  }
}
