package io.haulproof.authenticator.node;

import io.haulproof.lightchain.block.AuthenticatorSignature;
import io.haulproof.lightchain.block.Block;
import java.util.Optional;

/** What an authenticator does with one proposal ({@link ProposalChecker}). */
public sealed interface Outcome
    permits Outcome.Accept, Outcome.Resend, Outcome.Reject, Outcome.Need, Outcome.Equivocation {
  /** Every rule passed: sign {@code block}, then store {@code next} (which already counts it). */
  record Accept(Block block, ChainState next) implements Outcome {}

  /** The very header this node signed last: publish the stored signature again, sign nothing. */
  record Resend(AuthenticatorSignature signature) implements Outcome {}

  /**
   * Refused with the failed rule and reason; {@code next} is the state to store when the failure is
   * the proposer's provable fault (its trust fell), empty otherwise.
   */
  record Reject(String rule, String reason, Optional<ChainState> next) implements Outcome {}

  /** The proposal is ahead of this node: it needs the chain's blocks from {@code fromHeight}. */
  record Need(long fromHeight) implements Outcome {}

  /** The proposer signed two different headers at one height: both blocks, as evidence. */
  record Equivocation(Block first, Block second, ChainState state) implements Outcome {}
}
