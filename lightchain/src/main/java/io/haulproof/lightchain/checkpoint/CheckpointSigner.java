package io.haulproof.lightchain.checkpoint;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.DeviceKey;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Signs checkpoints with the device key as C2SP signed notes; the key name is the checkpoint's
 * origin and the key ID is {@link NoteKeys#keyId}.
 */
public final class CheckpointSigner {
  private final DeviceKey key;

  public CheckpointSigner(DeviceKey key) {
    this.key = key;
  }

  public SignedNote sign(Checkpoint checkpoint) {
    String text = checkpoint.toText();
    Bytes sig = key.sign(Bytes.wrap(text.getBytes(StandardCharsets.UTF_8)));
    return new SignedNote(
        text,
        List.of(
            new NoteSignature(
                checkpoint.origin(), NoteKeys.keyId(checkpoint.origin(), key.kid()), sig)));
  }
}
