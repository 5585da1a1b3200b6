package io.haulproof.lightchain.poah;

import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.crypto.VerificationException;
import java.io.IOException;
import java.util.Optional;

/**
 * Every entry of the block is a well-formed COSE_Sign1 that verifies, over the received bytes, with
 * a registered, unrevoked key whose kid is the envelope's kid; {@code key} entries change the
 * registered keys from the next entry on.
 */
public final class EntrySignaturesRule implements HeaderRule<LogEntries> {
  @Override
  public RuleResult validate(Block block, Optional<Block> parent, LogEntries context)
      throws IOException {
    EntryKeys keys = context.keys().copy();
    long first = block.header().firstIndex();
    long end = first + block.header().count();
    if (end > context.logSize()) {
      return RuleResult.failed(
          "entry_signatures", "block ends at " + end + ", beyond the log's " + context.logSize());
    }
    for (long i = first; i < end; i++) {
      SignedEntry e;
      try {
        e = SignedEntry.parse(i, context.entry(i));
      } catch (SignedEntry.MalformedEntryException ex) {
        return RuleResult.failed("entry_signatures", ex.getMessage());
      }
      Kid kid = e.cose().kid();
      Optional<SignatureVerifier> v = keys.active(kid);
      if (v.isEmpty()) {
        return RuleResult.failed(
            "entry_signatures",
            "entry "
                + i
                + " signed by "
                + (keys.isRevoked(kid) ? "revoked" : "unregistered")
                + " key "
                + kid);
      }
      try {
        e.cose().verify(v.get());
      } catch (VerificationException ex) {
        return RuleResult.failed(
            "entry_signatures",
            "entry " + i + " signature by " + kid + " does not verify: " + ex.getMessage());
      }
      e.applyTo(keys);
    }
    return RuleResult.ok();
  }
}
