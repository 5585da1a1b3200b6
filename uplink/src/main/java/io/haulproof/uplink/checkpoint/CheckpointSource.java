package io.haulproof.uplink.checkpoint;

import io.haulproof.lightchain.bytes.Hash;
import java.util.List;
import java.util.Optional;

/** The device's signed checkpoints and the Merkle proofs between them, as the uplink needs them. */
public interface CheckpointSource {
  /** A signed checkpoint note (C2SP tlog-checkpoint wire form) with its size and root. */
  record Signed(long size, Hash root, String wire) {}

  /** The latest signed checkpoint, if any was made. */
  Optional<Signed> latest();

  /** The RFC 9162 root of the log at {@code size}. */
  Hash root(long size);

  /**
   * The RFC 9162 consistency proof from {@code from} to {@code to}; empty when {@code from} is 0 or
   * equals to.
   */
  List<Hash> consistencyProof(long from, long to);
}
