package io.haulproof.ledger;

import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.checkpoint.CheckpointVerifier;
import io.haulproof.lightchain.checkpoint.SignedNote;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import java.util.ArrayList;
import java.util.List;

/** {@link CheckpointNotes} with lightchain's C2SP checkpoint parser and verifier. */
public final class LightchainCheckpointNotes implements CheckpointNotes {
  @Override
  public String originFor(String fleet, String device) {
    return Checkpoint.originFor(fleet, device);
  }

  @Override
  public NoteCheckpoint verify(String wire, String origin, List<SignatureVerifier> keys) {
    SignedNote note = SignedNote.parse(wire);
    List<String> failures = new ArrayList<>();
    for (SignatureVerifier k : keys) {
      try {
        Checkpoint cp = new CheckpointVerifier(origin, k).verify(note);
        return new NoteCheckpoint(cp.origin(), cp.size(), cp.root(), note.text(), wire);
      } catch (RuntimeException e) {
        failures.add(e.getMessage());
      }
    }
    throw new IllegalArgumentException(
        "no registered key of the device verifies the checkpoint: " + failures);
  }
}
