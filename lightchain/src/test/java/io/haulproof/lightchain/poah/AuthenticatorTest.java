package io.haulproof.lightchain.poah;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.block.AuthenticatorSignature;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.block.BlockCodec;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.entry.KeyAction;
import io.haulproof.lightchain.testing.TestEntries;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
  private final DeviceKey gateway = PoahFixture.key(11);
  private final DeviceKey intruder = PoahFixture.key(12);
  private final PoahFixture log = new PoahFixture(gateway);
  private final TrustScores trust = new TrustScores(TrustScores.Policy.defaults());
  private final List<LocalAuthenticator.Equivocation> evidence = new ArrayList<>();
  private final LocalAuthenticator auth =
      new LocalAuthenticator(
          gateway, AuthenticatorSet.singleNode(gateway.publicKey()), trust, evidence::add);

  private void addSeq(long from, long to) {
    for (long s = from; s <= to; s++) {
      log.add(TestEntries.signed(gateway, "truck-1", 1, s));
    }
  }

  private RuleResult rejection(Block b, Optional<Block> parent) {
    try {
      auth.authenticate(b, parent, log);
    } catch (BlockRejectedException e) {
      return e.result();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("block was accepted");
  }

  @Test
  void authenticate_validBlock_countersignsAndQuorumPasses() throws IOException {
    // given
    addSeq(1, 5);
    Block b = log.propose(gateway, Optional.empty(), 0, 5);
    // when
    AuthenticatorSignature sig = auth.authenticate(b, Optional.empty(), log);
    Block sealed = b.withAuthentication(sig);
    // then
    assertThat(sig.kid()).isEqualTo(gateway.kid());
    assertThat(
            new QuorumRule(AuthenticatorSet.singleNode(gateway.publicKey()), trust)
                .validate(sealed, Optional.empty(), log)
                .passed())
        .isTrue();
    assertThat(BlockCodec.decode(BlockCodec.encode(sealed))).isEqualTo(sealed);
  }

  @Test
  void authenticate_entryForgedByOtherKey_rejectedAsUnregistered() {
    addSeq(1, 2);
    log.add(TestEntries.signed(intruder, "truck-1", 1, 3));
    Block b = log.propose(gateway, Optional.empty(), 0, 3);
    RuleResult r = rejection(b, Optional.empty());
    assertThat(r.rule()).isEqualTo("entry_signatures");
    assertThat(r.reason()).contains("entry 2 signed by unregistered key " + intruder.kid());
  }

  @Test
  void authenticate_entrySignatureAltered_rejected() {
    // given an entry whose last signature byte is flipped: kid stays the gateway's
    addSeq(1, 2);
    byte[] e = TestEntries.signed(gateway, "truck-1", 1, 3).toByteArray();
    e[e.length - 1] ^= 1;
    log.add(Bytes.wrap(e));
    Block b = log.propose(gateway, Optional.empty(), 0, 3);
    // then
    RuleResult r = rejection(b, Optional.empty());
    assertThat(r.rule()).isEqualTo("entry_signatures");
    assertThat(r.reason()).contains("entry 2 signature by").contains("does not verify");
  }

  @Test
  void authenticate_gapInSeq_rejected() {
    addSeq(1, 2);
    addSeq(4, 4);
    RuleResult r = rejection(log.propose(gateway, Optional.empty(), 0, 3), Optional.empty());
    assertThat(r.rule()).isEqualTo("sequence");
    assertThat(r.reason()).contains("gap in seq: seq 4, want 3");
  }

  @Test
  void authenticate_reusedSeq_rejected() {
    addSeq(1, 3);
    log.add(TestEntries.signed(gateway, "truck-1", 2, 3));
    RuleResult r = rejection(log.propose(gateway, Optional.empty(), 0, 4), Optional.empty());
    assertThat(r.reason()).contains("reused seq 3, want 4");
  }

  @Test
  void authenticate_firstSeqNotOne_rejected() {
    addSeq(2, 3);
    RuleResult r = rejection(log.propose(gateway, Optional.empty(), 0, 2), Optional.empty());
    assertThat(r.reason()).contains("seq 2, want 1");
  }

  @Test
  void authenticate_bootEpochGoesBack_rejected() {
    log.add(TestEntries.signed(gateway, "truck-1", 5, 1));
    log.add(TestEntries.signed(gateway, "truck-1", 4, 2));
    RuleResult r = rejection(log.propose(gateway, Optional.empty(), 0, 2), Optional.empty());
    assertThat(r.reason()).contains("boot epoch went back to 4 from 5");
  }

  @Test
  void authenticate_entryByRevokedKey_rejected() throws IOException {
    // given the gateway rotates to a new key, then revokes the old one, and the old one signs again
    DeviceKey next = PoahFixture.key(13);
    log.add(
        TestEntries.signed(
            gateway,
            "truck-1",
            1,
            1,
            TestEntries.keyBody(KeyAction.ROTATE, next, Optional.of(gateway.kid()))));
    log.add(TestEntries.signed(next, "truck-1", 1, 2));
    log.add(
        TestEntries.signed(
            next,
            "truck-1",
            1,
            3,
            TestEntries.keyBody(KeyAction.REVOKE, gateway, Optional.empty())));
    log.add(TestEntries.signed(gateway, "truck-1", 1, 4));
    // then the first three are fine, the fourth is not
    assertThat(
            new EntrySignaturesRule()
                .validate(log.propose(gateway, Optional.empty(), 0, 3), Optional.empty(), log)
                .passed())
        .isTrue();
    RuleResult r = rejection(log.propose(gateway, Optional.empty(), 0, 4), Optional.empty());
    assertThat(r.reason()).contains("entry 3 signed by revoked key " + gateway.kid());
  }

  @Test
  void authenticate_wrongRoot_rejected() throws IOException {
    addSeq(1, 4);
    Block b = new LocalProposer(gateway).propose(Optional.empty(), 0, 4, log.rootAt(3), 1L);
    assertThat(rejection(b, Optional.empty()).rule()).isEqualTo("root");
  }

  @Test
  void authenticate_wrongPrevHash_rejected() throws IOException {
    addSeq(1, 4);
    Block g = log.propose(gateway, Optional.empty(), 0, 2);
    Block other = log.propose(gateway, Optional.empty(), 0, 1);
    Block b =
        log.propose(gateway, Optional.of(other), 2, 2); // links to a block that is not the parent
    auth.authenticate(g, Optional.empty(), log);
    RuleResult r = rejection(b, Optional.of(g));
    assertThat(r.rule()).isIn("prev_hash", "range");
  }

  @Test
  void authenticate_forgedProposerSignature_rejectedAndNoEquivocationRecorded() throws IOException {
    addSeq(1, 2);
    Block good = log.propose(gateway, Optional.empty(), 0, 2);
    Block forged =
        new Block(
            good.headerBytes(),
            good.header(),
            intruder.sign(BlockSigning.proposalMessage(good.headerBytes())),
            List.of());
    assertThat(rejection(forged, Optional.empty()).rule()).isEqualTo("proposer");
    assertThat(evidence).isEmpty();
  }

  @Test
  void authenticate_twoBlocksAtOneHeight_recordsEquivocationAndDistrustsProposer()
      throws IOException {
    // given
    addSeq(1, 3);
    Block first = log.propose(gateway, Optional.empty(), 0, 2);
    Block second = log.propose(gateway, Optional.empty(), 0, 3);
    auth.authenticate(first, Optional.empty(), log);
    // when
    RuleResult r = rejection(second, Optional.empty());
    // then
    assertThat(r.rule()).isEqualTo("equivocation");
    assertThat(evidence).hasSize(1);
    assertThat(evidence.get(0).first()).isEqualTo(first);
    assertThat(evidence.get(0).second()).isEqualTo(second);
    assertThat(trust.isTrusted(gateway.kid())).isFalse();
    // and even the original block is no longer authenticated
    assertThat(rejection(first, Optional.empty()).rule()).isEqualTo("proposer");
  }

  @Test
  void codec_poahMessages_roundTrip() throws IOException {
    addSeq(1, 2);
    Block b = log.propose(gateway, Optional.empty(), 0, 2);
    AuthenticatorSignature sig = auth.authenticate(b, Optional.empty(), log);
    PoahMessage p = new PoahMessage.Proposal(b);
    PoahMessage a = new PoahMessage.Authentication(0, b.hash(), sig);
    assertThat(PoahMessageCodec.decode(PoahMessageCodec.encode(p))).isEqualTo(p);
    assertThat(PoahMessageCodec.decode(PoahMessageCodec.encode(a))).isEqualTo(a);
    assertThat(PoahTopics.proposal("f1", "truck-1"))
        .isEqualTo("haulproof/v1/f1/poah/truck-1/proposal");
    assertThatThrownBy(() -> PoahTopics.authentication("f/1", "c"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
