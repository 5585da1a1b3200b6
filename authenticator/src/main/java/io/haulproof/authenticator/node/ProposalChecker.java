package io.haulproof.authenticator.node;

import io.haulproof.authenticator.Roles;
import io.haulproof.authenticator.wire.PoahWire;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.block.BlockHeader;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.crypto.VerificationException;
import io.haulproof.lightchain.entry.EntryHeader;
import io.haulproof.lightchain.entry.KeyBody;
import io.haulproof.lightchain.poah.BlockSigning;
import io.haulproof.lightchain.poah.EntrySignaturesRule;
import io.haulproof.lightchain.poah.HeaderRule;
import io.haulproof.lightchain.poah.HeightRule;
import io.haulproof.lightchain.poah.PrevHashRule;
import io.haulproof.lightchain.poah.RangeRule;
import io.haulproof.lightchain.poah.RootRule;
import io.haulproof.lightchain.poah.RuleResult;
import io.haulproof.lightchain.poah.SequenceRule;
import io.haulproof.lightchain.poah.SignedEntry;
import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Decides what an authenticator does with one proposal, from the chain's stored state alone: it
 * checks the proposer (a registered, unrevoked key of the chain that verifies the proposal
 * signature, and is trusted), then every PoAh rule (height, previous hash, range, the root
 * recomputed from the compact range, the sequence rules and every entry signature) and the time
 * bounds, cheap checks first.
 *
 * <p>Security guarantees: only a proposal for exactly the next height can be accepted, so a node
 * signs at most one header per height; an older height is a replay (or, with a different header
 * under a valid proposer signature, equivocation); trust falls only for faults provable from the
 * proposer's own signature, so nobody can lower a truck's trust by sending junk in its name. Pure:
 * no I/O, no clock of its own.
 */
public final class ProposalChecker {
  /** How far a header's time may be ahead of this node's clock. */
  public static final long MAX_SKEW_MILLIS = 5 * 60 * 1000L;

  private static final List<HeaderRule<? super ProposalContext>> RULES =
      List.of(
          new HeightRule(),
          new PrevHashRule(),
          new RangeRule(),
          new RootRule(),
          new SequenceRule(),
          new EntrySignaturesRule());

  private final X509Certificate fleetRoot;

  public ProposalChecker(X509Certificate fleetRoot) {
    this.fleetRoot = fleetRoot;
  }

  /**
   * @param known the chain's state, empty if this node has never accepted a block of it
   * @param seenAtNext a different header already seen (with a valid proposer signature) at the next
   *     height, if any
   * @param nowMillis this node's wall clock
   */
  public Outcome check(
      String chain,
      Optional<ChainState> known,
      PoahWire.Proposal p,
      Optional<Block> seenAtNext,
      long nowMillis)
      throws IOException {
    Block block = p.block();
    BlockHeader h = block.header();
    ChainState state;
    if (known.isEmpty()) {
      if (h.height() != 0) {
        return new Outcome.Need(0);
      }
      Optional<ChainState> g = genesis(chain, p);
      if (g.isEmpty()) {
        return reject(
            "genesis", "no valid device certificate for proposer " + h.proposerKid(), null);
      }
      state = g.get();
    } else {
      state = known.get();
    }
    long next = state.nextHeight();
    if (h.height() > next) {
      return new Outcome.Need(next);
    }
    if (h.height() < next - 1) {
      return reject(
          "replay",
          "proposal for height " + h.height() + " replayed; this node is at height " + next,
          null);
    }
    if (h.height() == next - 1) {
      Block last = state.last().orElseThrow();
      if (last.headerBytes().equals(block.headerBytes())) {
        return state
            .lastAuthentication()
            .<Outcome>map(Outcome.Resend::new)
            .orElseGet(
                () -> reject("replay", "height " + h.height() + " already authenticated", null));
      }
    }
    RuleResult proposer = proposer(state, p);
    if (!proposer.passed()) {
      return reject(proposer.rule(), proposer.reason(), null);
    }
    if (h.height() == next - 1) {
      return new Outcome.Equivocation(state.last().orElseThrow(), block, state);
    }
    if (seenAtNext.isPresent() && !seenAtNext.get().headerBytes().equals(block.headerBytes())) {
      return new Outcome.Equivocation(seenAtNext.get(), block, state);
    }
    if (h.time() > nowMillis + MAX_SKEW_MILLIS) {
      return reject(
          "time",
          "header time " + h.time() + " is over " + MAX_SKEW_MILLIS + " ms ahead of " + nowMillis,
          state.scored(false));
    }
    long parentTime = state.last().map(b -> b.header().time()).orElse(0L);
    if (h.time() < parentTime) {
      return reject(
          "time",
          "header time " + h.time() + " is before the previous block's " + parentTime,
          state.scored(false));
    }
    ProposalContext ctx = new ProposalContext(state, p.entries());
    for (HeaderRule<? super ProposalContext> rule : RULES) {
      RuleResult r = rule.validate(block, state.last(), ctx);
      if (!r.passed()) {
        // A wrong root may be entries altered in transit, not the proposer's fault; everything
        // else is fixed by the signed header, or by the entries the signed root commits to.
        boolean provable = !(rule instanceof RootRule);
        return reject(r.rule(), r.reason(), provable ? state.scored(false) : null);
      }
    }
    return new Outcome.Accept(block, advance(state, block, p.entries()).scored(true));
  }

  private static Outcome reject(String rule, String reason, ChainState next) {
    return new Outcome.Reject(rule, reason, Optional.ofNullable(next));
  }

  /** The proposer is a registered, unrevoked key of the chain, it signed, and it is trusted. */
  private static RuleResult proposer(ChainState state, PoahWire.Proposal p) {
    Block block = p.block();
    Kid kid = block.header().proposerKid();
    Optional<SignatureVerifier> v = state.entryKeys().active(kid);
    if (v.isEmpty() && !state.revoked().contains(kid)) {
      // A block that carries the rotation to its proposer's new key is signed with that key; the
      // key entry's own signature is checked with the entries below, or the block fails.
      v = rotatedIn(p, kid);
    }
    if (v.isEmpty()) {
      return RuleResult.failed(
          "proposer",
          "proposer "
              + kid
              + " is "
              + (state.revoked().contains(kid) ? "revoked" : "not a registered key of this chain"));
    }
    try {
      v.get().verify(BlockSigning.proposalMessage(block.headerBytes()), block.proposerSignature());
    } catch (VerificationException e) {
      return RuleResult.failed(
          "proposer", "proposer signature by " + kid + " does not verify: " + e.getMessage());
    }
    if (!state.trusted()) {
      return RuleResult.failed(
          "proposer",
          "proposer "
              + kid
              + " is untrusted ("
              + (state.evidence().isPresent() ? "equivocated" : "score " + state.score())
              + ")");
    }
    return RuleResult.ok();
  }

  /** The key a {@code key} entry of the proposal registers under {@code kid}, if any. */
  private static Optional<SignatureVerifier> rotatedIn(PoahWire.Proposal p, Kid kid) {
    long first = p.block().header().firstIndex();
    for (int i = 0; i < p.entries().size(); i++) {
      try {
        SignedEntry e = SignedEntry.parse(first + i, p.entries().get(i));
        if (e.entry().body() instanceof KeyBody k
            && k.action() != io.haulproof.lightchain.entry.KeyAction.REVOKE
            && k.kid().equals(kid)) {
          return Optional.of(SignatureVerifier.of(PublicKeys.fromSpki(k.publicKey())));
        }
      } catch (SignedEntry.MalformedEntryException | RuntimeException ex) {
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /** The genesis state, if the proposal carries a device certificate for its proposer key. */
  private Optional<ChainState> genesis(String chain, PoahWire.Proposal p) {
    for (Bytes der : p.deviceCertificates()) {
      try {
        X509Certificate cert = Roles.parse(der);
        Roles.require(cert, fleetRoot, Roles.DEVICE);
        Bytes spki = Bytes.wrap(cert.getPublicKey().getEncoded());
        if (Kid.ofSpki(spki).equals(p.block().header().proposerKid())) {
          return Optional.of(ChainState.genesis(chain, spki));
        }
      } catch (CertificateException | RuntimeException e) {
        // not a usable device certificate; try the next
      }
    }
    return Optional.empty();
  }

  /** The state after an accepted block: its keys, sequence position, range and header. */
  static ChainState advance(ChainState s, Block block, List<Bytes> entries) throws IOException {
    List<Bytes> keys = new ArrayList<>(s.keys());
    Set<Kid> revoked = new HashSet<>(s.revoked());
    Optional<ChainState.Position> pos = s.position();
    long first = block.header().firstIndex();
    for (int i = 0; i < entries.size(); i++) {
      SignedEntry e;
      try {
        e = SignedEntry.parse(first + i, entries.get(i));
      } catch (SignedEntry.MalformedEntryException ex) {
        throw new IOException("accepted block holds a malformed entry: " + ex.getMessage(), ex);
      }
      EntryHeader eh = e.entry().header();
      pos = Optional.of(new ChainState.Position(eh.deviceId(), eh.bootEpoch(), eh.seq()));
      if (e.entry().body() instanceof KeyBody k) {
        switch (k.action()) {
          case ENROLL, ROTATE -> {
            Kid kid = Kid.ofSpki(k.publicKey());
            if (keys.stream().noneMatch(x -> Kid.ofSpki(x).equals(kid))) {
              PublicKeys.fromSpki(k.publicKey());
              keys.add(k.publicKey());
            }
          }
          case REVOKE -> revoked.add(k.kid());
        }
      }
    }
    Block bare =
        new Block(block.headerBytes(), block.header(), block.proposerSignature(), List.of());
    return new ChainState(
        s.chain(),
        s.nextHeight() + 1,
        Optional.of(bare),
        s.range().append(entries),
        keys,
        revoked,
        pos,
        Optional.empty(),
        s.score(),
        s.evidence());
  }
}
