package io.haulproof.uplink.wire;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import java.nio.charset.StandardCharsets;

/**
 * Witness cosignatures over checkpoints, after C2SP tlog-cosignature: the witness signs {@code
 * "cosignature/v1\ntime <seconds>\n"} followed by the checkpoint text (origin, size, root lines),
 * here with its ES256 key (raw r‖s).
 *
 * <p>Security guarantees: {@link #verify} returns only if the signature binds exactly this
 * checkpoint text and timestamp to the given key; otherwise it throws.
 */
public final class Cosignatures {
  private Cosignatures() {}

  /** The bytes a witness signs. */
  public static Bytes message(String checkpointText, long timestampSeconds) {
    if (timestampSeconds < 0) {
      throw new IllegalArgumentException("timestamp " + timestampSeconds + ", want >= 0");
    }
    return Bytes.wrap(
        ("cosignature/v1\ntime " + timestampSeconds + "\n" + checkpointText)
            .getBytes(StandardCharsets.UTF_8));
  }

  public static Bytes sign(DeviceKey witnessKey, String checkpointText, long timestampSeconds) {
    return witnessKey.sign(message(checkpointText, timestampSeconds));
  }

  /**
   * Throws {@code VerificationException} unless {@code signature} is the witness's over the text
   * and time. Keep one {@code witness} verifier for the pinned key: a fresh one per cosignature
   * redoes the key's precomputation and costs about four verifications.
   */
  public static void verify(
      SignatureVerifier witness, String checkpointText, long timestampSeconds, Bytes signature) {
    witness.verify(message(checkpointText, timestampSeconds), signature);
  }
}
