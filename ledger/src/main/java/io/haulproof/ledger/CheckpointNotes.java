package io.haulproof.ledger;

import io.haulproof.lightchain.crypto.SignatureVerifier;
import java.util.List;

/**
 * Verifies a device's signed checkpoint note (C2SP tlog-checkpoint); the lightchain implementation
 * is {@link LightchainCheckpointNotes}.
 */
public interface CheckpointNotes {
  /** The origin line the device's checkpoints must carry. */
  String originFor(String fleet, String device);

  /**
   * Parses {@code wire} and verifies it against one of {@code keys} and {@code origin}.
   *
   * @throws RuntimeException with the reason if the note is malformed, unsigned, signed by another
   *     key or for another origin
   */
  NoteCheckpoint verify(String wire, String origin, List<SignatureVerifier> keys);
}
