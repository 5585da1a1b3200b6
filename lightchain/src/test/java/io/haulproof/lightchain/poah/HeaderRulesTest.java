package io.haulproof.lightchain.poah;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.block.AuthenticatorSignature;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.block.BlockCodec;
import io.haulproof.lightchain.block.BlockHeader;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.crypto.DeviceKey;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HeaderRulesTest {
  private final DeviceKey gateway = PoahFixture.key(1);
  private final DeviceKey other = PoahFixture.key(2);
  private PoahFixture log;
  private Block genesis;

  @BeforeEach
  void setUp() {
    log = new PoahFixture(gateway);
    for (int i = 0; i < 10; i++) {
      log.add(Bytes.of((byte) i, (byte) 0x55));
    }
    genesis = log.propose(gateway, Optional.empty(), 0, 4);
  }

  /**
   * A block with {@code header} signed properly by {@code key}, so only the header's content is
   * wrong.
   */
  private static Block signed(DeviceKey key, BlockHeader header) {
    Bytes hb = BlockCodec.encodeHeader(header);
    return new Block(hb, header, key.sign(BlockSigning.proposalMessage(hb)), List.of());
  }

  private BlockHeader next(long height, Hash prev, long first, long count, long size, Hash root) {
    return new BlockHeader(height, prev, first, count, size, root, 1L, gateway.kid());
  }

  @Test
  void allRules_properChain_pass() throws IOException {
    Block second = log.propose(gateway, Optional.of(genesis), 4, 6);
    for (HeaderRule<? super LogTree> rule :
        List.<HeaderRule<? super LogTree>>of(
            new HeightRule(), new PrevHashRule(), new RangeRule(), new RootRule())) {
      assertThat(rule.validate(genesis, Optional.empty(), log).passed()).isTrue();
      assertThat(rule.validate(second, Optional.of(genesis), log).passed())
          .as(rule.getClass().getSimpleName())
          .isTrue();
    }
  }

  @Test
  void prevHashRule_wrongPrevHash_failsNamingBoth() {
    // given
    Hash wrong = Hash.sha256(new byte[] {9});
    Block b = signed(gateway, next(1, wrong, 4, 2, 6, log.rootAt(6)));
    // when
    RuleResult r = new PrevHashRule().validate(b, Optional.of(genesis), log);
    // then
    assertThat(r.passed()).isFalse();
    assertThat(r.reason()).contains(wrong.toHex()).contains(genesis.hash().toHex());
  }

  @Test
  void prevHashRule_genesisWithNonZeroPrev_fails() {
    Block b = signed(gateway, next(0, Hash.sha256(new byte[0]), 0, 2, 2, log.rootAt(2)));
    assertThat(new PrevHashRule().validate(b, Optional.empty(), log).passed()).isFalse();
  }

  @Test
  void heightRule_skippedHeight_fails() {
    Block b = signed(gateway, next(2, genesis.hash(), 4, 2, 6, log.rootAt(6)));
    RuleResult r = new HeightRule().validate(b, Optional.of(genesis), log);
    assertThat(r.passed()).isFalse();
    assertThat(r.reason()).isEqualTo("wrong height 2, want 1");
  }

  @Test
  void rangeRule_gapOverlapWrongSizeEmptyOrBeyondLog_fails() throws IOException {
    RangeRule rule = new RangeRule();
    Optional<Block> p = Optional.of(genesis);
    assertThat(
            rule.validate(signed(gateway, next(1, genesis.hash(), 5, 2, 7, log.rootAt(7))), p, log)
                .reason())
        .contains("wrong first_index 5, want 4");
    assertThat(
            rule.validate(signed(gateway, next(1, genesis.hash(), 3, 2, 5, log.rootAt(5))), p, log)
                .reason())
        .contains("wrong first_index 3, want 4");
    assertThat(
            rule.validate(signed(gateway, next(1, genesis.hash(), 4, 2, 7, log.rootAt(7))), p, log)
                .reason())
        .contains("wrong tree_size 7");
    assertThat(
            rule.validate(signed(gateway, next(1, genesis.hash(), 4, 0, 4, log.rootAt(4))), p, log)
                .reason())
        .contains("empty block");
    assertThat(
            rule.validate(
                    signed(gateway, next(1, genesis.hash(), 4, 8, 12, log.rootAt(10))), p, log)
                .reason())
        .contains("beyond the log's size 10");
  }

  @Test
  void rootRule_wrongRoot_fails() throws IOException {
    Block b = signed(gateway, next(1, genesis.hash(), 4, 2, 6, log.rootAt(5)));
    RuleResult r = new RootRule().validate(b, Optional.of(genesis), log);
    assertThat(r.passed()).isFalse();
    assertThat(r.reason()).contains("wrong tree_root").contains(log.rootAt(6).toHex());
  }

  @Test
  void proposerSignatureRule_forgedSignature_fails() {
    // given a header naming the gateway, signed by another key
    BlockHeader h = next(0, BlockHeader.GENESIS_PREV, 0, 4, 4, log.rootAt(4));
    Block forged = signed(other, h);
    TrustScores trust = new TrustScores(TrustScores.Policy.defaults());
    // when
    RuleResult r =
        new ProposerSignatureRule(AuthenticatorSet.singleNode(gateway.publicKey()), trust)
            .validate(forged, Optional.empty(), log);
    // then
    assertThat(r.passed()).isFalse();
    assertThat(r.reason()).contains("does not verify");
  }

  @Test
  void proposerSignatureRule_signatureAsAuthenticationReplayed_fails() {
    // an authentication signature must not pass as a proposal signature (domain separation)
    Bytes hb = genesis.headerBytes();
    Block replayed =
        new Block(
            hb, genesis.header(), gateway.sign(BlockSigning.authenticationMessage(hb)), List.of());
    RuleResult r =
        new ProposerSignatureRule(
                AuthenticatorSet.singleNode(gateway.publicKey()),
                new TrustScores(TrustScores.Policy.defaults()))
            .validate(replayed, Optional.empty(), log);
    assertThat(r.passed()).isFalse();
  }

  @Test
  void proposerSignatureRule_revokedOrUnknownProposer_fails() {
    TrustScores trust = new TrustScores(TrustScores.Policy.defaults());
    AuthenticatorSet revoked =
        AuthenticatorSet.of(
            List.of(
                new AuthenticatorSet.Member(
                    io.haulproof.lightchain.crypto.SignatureVerifier.of(gateway.publicKey()), true),
                new AuthenticatorSet.Member(
                    io.haulproof.lightchain.crypto.SignatureVerifier.of(other.publicKey()), false)),
            1);
    assertThat(
            new ProposerSignatureRule(revoked, trust)
                .validate(genesis, Optional.empty(), log)
                .reason())
        .contains("revoked");
    AuthenticatorSet otherOnly = AuthenticatorSet.singleNode(other.publicKey());
    assertThat(
            new ProposerSignatureRule(otherOnly, trust)
                .validate(genesis, Optional.empty(), log)
                .reason())
        .contains("not a registered node");
  }

  @Test
  void quorumRule_noAuthentication_failsQuorumNotMet() {
    RuleResult r =
        new QuorumRule(
                AuthenticatorSet.singleNode(gateway.publicKey()),
                new TrustScores(TrustScores.Policy.defaults()))
            .validate(genesis, Optional.empty(), log);
    assertThat(r.passed()).isFalse();
    assertThat(r.reason()).contains("quorum not met: 0 valid authentications, want 1");
  }

  @Test
  void quorumRule_validAuthentication_passes() {
    Block b =
        genesis.withAuthentication(
            new AuthenticatorSignature(
                gateway.kid(),
                gateway.sign(BlockSigning.authenticationMessage(genesis.headerBytes()))));
    assertThat(
            new QuorumRule(
                    AuthenticatorSet.singleNode(gateway.publicKey()),
                    new TrustScores(TrustScores.Policy.defaults()))
                .validate(b, Optional.empty(), log)
                .passed())
        .isTrue();
  }

  @Test
  void quorumRule_forgedAuthenticationClaimingMember_fails() {
    Block b =
        genesis.withAuthentication(
            new AuthenticatorSignature(
                gateway.kid(),
                other.sign(BlockSigning.authenticationMessage(genesis.headerBytes()))));
    RuleResult r =
        new QuorumRule(
                AuthenticatorSet.singleNode(gateway.publicKey()),
                new TrustScores(TrustScores.Policy.defaults()))
            .validate(b, Optional.empty(), log);
    assertThat(r.passed()).isFalse();
    assertThat(r.reason()).contains("does not verify");
  }

  @Test
  void quorumRule_sameAuthorTwiceOrRevokedMember_doesNotReachQuorumTwo() {
    // given two members, quorum 2; the second is revoked
    var g =
        new AuthenticatorSet.Member(
            io.haulproof.lightchain.crypto.SignatureVerifier.of(gateway.publicKey()), false);
    var o =
        new AuthenticatorSet.Member(
            io.haulproof.lightchain.crypto.SignatureVerifier.of(other.publicKey()), false);
    DeviceKey third = PoahFixture.key(3);
    var t =
        new AuthenticatorSet.Member(
            io.haulproof.lightchain.crypto.SignatureVerifier.of(third.publicKey()), true);
    AuthenticatorSet set = AuthenticatorSet.of(List.of(g, o, t), 2);
    AuthenticatorSignature byGateway =
        new AuthenticatorSignature(
            gateway.kid(), gateway.sign(BlockSigning.authenticationMessage(genesis.headerBytes())));
    AuthenticatorSignature byThird =
        new AuthenticatorSignature(
            third.kid(), third.sign(BlockSigning.authenticationMessage(genesis.headerBytes())));
    Block b =
        genesis
            .withAuthentication(byGateway)
            .withAuthentication(byGateway)
            .withAuthentication(byThird);
    // when
    RuleResult r =
        new QuorumRule(set, new TrustScores(TrustScores.Policy.defaults()))
            .validate(b, Optional.empty(), log);
    // then
    assertThat(r.passed()).isFalse();
    assertThat(r.reason()).contains("1 valid authentications, want 2");
  }

  @Test
  void trustScores_equivocation_bansProposerAtOnce() {
    // given
    TrustScores trust = new TrustScores(TrustScores.Policy.defaults());
    Block a = log.propose(gateway, Optional.empty(), 0, 4);
    Block b = log.propose(gateway, Optional.empty(), 0, 5);
    // when
    assertThat(trust.observeProposal(gateway.kid(), a)).isEmpty();
    assertThat(trust.observeProposal(gateway.kid(), a)).isEmpty();
    Optional<Block> evidence = trust.observeProposal(gateway.kid(), b);
    // then
    assertThat(evidence).contains(a);
    assertThat(trust.isTrusted(gateway.kid())).isFalse();
    for (int i = 0; i < 1000; i++) {
      trust.recordValid(gateway.kid());
    }
    assertThat(trust.isTrusted(gateway.kid())).isFalse();
  }

  @Test
  void trustScores_invalidWork_dropsBelowThresholdAndValidWorkRestores() {
    TrustScores trust = new TrustScores(new TrustScores.Policy(10, 5, 1, 3, 100));
    assertThat(trust.isTrusted(other.kid())).isTrue();
    trust.recordInvalid(other.kid());
    assertThat(trust.isTrusted(other.kid())).isTrue();
    trust.recordInvalid(other.kid());
    assertThat(trust.score(other.kid())).isEqualTo(4);
    assertThat(trust.isTrusted(other.kid())).isFalse();
    trust.recordValid(other.kid());
    assertThat(trust.isTrusted(other.kid())).isTrue();
  }
}
