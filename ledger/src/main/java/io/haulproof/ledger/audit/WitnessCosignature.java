package io.haulproof.ledger.audit;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.Kid;
import java.util.Objects;

/**
 * A witness cosignature as the ledger sent it in a receipt ({@code Cosignatures}: the witness signs
 * {@code "cosignature/v1\ntime <t>\n"} and the checkpoint text).
 *
 * @param witness the witness's name (informative, not signed)
 * @param kid the witness key's kid
 * @param timestamp seconds since the epoch, signed
 * @param signature raw r‖s
 */
public record WitnessCosignature(String witness, Kid kid, long timestamp, Bytes signature) {
  public WitnessCosignature {
    Objects.requireNonNull(witness, "witness");
    Objects.requireNonNull(kid, "kid");
    Objects.requireNonNull(signature, "signature");
    if (timestamp < 0) {
      throw new IllegalArgumentException("cosignature time " + timestamp + ", want >= 0");
    }
  }
}
