package io.haulproof.lightchain.poah;

import io.haulproof.lightchain.block.AuthenticatorSignature;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.crypto.Kid;
import java.io.IOException;
import java.util.Optional;

/**
 * A node that authenticates proposed blocks: it verifies the block against every rule and only then
 * countersigns.
 *
 * <p>Security guarantees: {@link #authenticate} returns a signature only if every rule passed;
 * otherwise it throws {@link BlockRejectedException} with the failed rule and reason, and counts
 * the failure against the proposer.
 */
public interface Authenticator {
  /** The kid of the key this authenticator signs with. */
  Kid kid();

  /**
   * Verifies {@code block} as the successor of {@code parent} and countersigns its header bytes.
   *
   * @throws BlockRejectedException if a rule fails
   * @throws IOException if the log cannot be read
   */
  AuthenticatorSignature authenticate(Block block, Optional<Block> parent, BlockContext context)
      throws IOException;
}
