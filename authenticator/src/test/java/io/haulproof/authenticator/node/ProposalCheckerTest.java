package io.haulproof.authenticator.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.authenticator.wire.PoahWire;
import io.haulproof.lightchain.block.AuthenticatorSignature;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.poah.LocalProposer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProposalCheckerTest {
  private static final long NOW = 1_700_000_100_000L;
  private final ProposalChecker checker = new ProposalChecker(null);
  private final TestChain chain = new TestChain();

  private Outcome check(ChainState s, PoahWire.Proposal p) throws Exception {
    return checker.check(TestChain.DEVICE, Optional.of(s), p, Optional.empty(), NOW);
  }

  private ChainState accept(ChainState s, PoahWire.Proposal p) throws Exception {
    Outcome o = check(s, p);
    assertThat(o).isInstanceOf(Outcome.Accept.class);
    return ((Outcome.Accept) o)
        .next()
        .withAuthentication(new AuthenticatorSignature(chain.key.kid(), Bytes.of((byte) 1)));
  }

  @Test
  void check_validBlocks_acceptsEachAndKeepsOnlyCompactState() throws Exception {
    ChainState s = chain.genesis();
    for (int i = 0; i < 5; i++) {
      s = accept(s, chain.next(3 + i));
    }
    assertThat(s.nextHeight()).isEqualTo(5);
    assertThat(s.range().root()).isEqualTo(chain.range().root());
    assertThat(s.range().hashes()).hasSize(Long.bitCount(chain.entries.size()));
    assertThat(s.position().orElseThrow().seq()).isEqualTo(chain.entries.size());
    assertThat(s.score()).isGreaterThan(chain.genesis().score());
    assertThat(ChainState.decode(s.encode())).isEqualTo(s);
  }

  @Test
  void check_wrongRoot_rejectedWithReasonButNotScored() throws Exception {
    ChainState s = accept(chain.genesis(), chain.next(4));
    List<Bytes> mine = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Bytes e =
          io.haulproof.lightchain.testing.TestEntries.signed(
              chain.key, TestChain.DEVICE, 1, chain.entries.size() + 1);
      chain.entries.add(e);
      mine.add(e);
    }
    Block forged = chain.block(mine, Hash.sha256(Bytes.of((byte) 7)));
    Outcome o = check(s, new PoahWire.Proposal(forged, mine, List.of()));
    assertThat(o).isInstanceOf(Outcome.Reject.class);
    Outcome.Reject r = (Outcome.Reject) o;
    assertThat(r.rule()).isEqualTo("root");
    assertThat(r.reason()).contains("wrong tree_root");
    assertThat(r.next()).as("entries may have been altered in transit").isEmpty();
  }

  @Test
  void check_entryAlteredAfterSigningAndRootRecomputed_rejectedAndProposerLosesTrust()
      throws Exception {
    ChainState s = accept(chain.genesis(), chain.next(4));
    PoahWire.Proposal p = chain.next(3);
    byte[] raw = p.entries().get(1).toByteArray();
    for (int i = raw.length - 66; i > 0; i--) { // the config body's "v<seq>" text
      if (raw[i] == 'v' && raw[i + 1] >= '0' && raw[i + 1] <= '9') {
        raw[i + 1] = (byte) (raw[i + 1] == '9' ? '8' : raw[i + 1] + 1);
        break;
      }
    }
    List<Bytes> altered = new ArrayList<>(p.entries());
    altered.set(1, Bytes.wrap(raw));
    chain.entries.set(chain.entries.size() - 2, Bytes.wrap(raw));
    chain.blocks.remove(chain.blocks.size() - 1);
    Block resigned = chain.block(altered, chain.range().root());
    Outcome o = check(s, new PoahWire.Proposal(resigned, altered, List.of()));
    assertThat(o).isInstanceOf(Outcome.Reject.class);
    Outcome.Reject r = (Outcome.Reject) o;
    assertThat(r.rule()).isEqualTo("entry_signatures");
    assertThat(r.reason()).contains("does not verify");
    assertThat(r.next()).isPresent();
    assertThat(r.next().get().score()).isLessThan(s.score());
    assertThat(r.next().get().nextHeight()).isEqualTo(s.nextHeight());
  }

  @Test
  void check_unregisteredProposerKey_rejectedNotScored() throws Exception {
    ChainState s = chain.genesis();
    PoahWire.Proposal p = chain.next(2);
    Block byOther =
        new LocalProposer(SoftwareDeviceKey.generate(CoseAlgorithm.ES256))
            .propose(Optional.empty(), 0, 2, chain.range().root(), chain.time);
    Outcome o = check(s, new PoahWire.Proposal(byOther, p.entries(), List.of()));
    assertThat(o).isInstanceOf(Outcome.Reject.class);
    assertThat(((Outcome.Reject) o).rule()).isEqualTo("proposer");
    assertThat(((Outcome.Reject) o).reason()).contains("not a registered key");
    assertThat(((Outcome.Reject) o).next()).isEmpty();
  }

  @Test
  void check_oldHeight_replayRefused() throws Exception {
    ChainState s = chain.genesis();
    PoahWire.Proposal first = chain.next(2);
    s = accept(s, first);
    s = accept(s, chain.next(2));
    s = accept(s, chain.next(2));
    Outcome o = check(s, first);
    assertThat(o).isInstanceOf(Outcome.Reject.class);
    assertThat(((Outcome.Reject) o).rule()).isEqualTo("replay");
  }

  @Test
  void check_lastSignedHeaderAgain_resendsStoredSignatureWithoutSigning() throws Exception {
    PoahWire.Proposal p = chain.next(2);
    ChainState s = accept(chain.genesis(), p);
    Outcome o = check(s, p);
    assertThat(o).isEqualTo(new Outcome.Resend(s.lastAuthentication().orElseThrow()));
  }

  @Test
  void check_differentHeaderAtSignedHeight_equivocationWithBothBlocks() throws Exception {
    PoahWire.Proposal p = chain.next(2);
    ChainState s = accept(chain.genesis(), p);
    chain.blocks.clear();
    Block other = chain.block(p.entries(), chain.range().root()); // same height, later time
    Outcome o = check(s, new PoahWire.Proposal(other, p.entries(), List.of()));
    assertThat(o).isInstanceOf(Outcome.Equivocation.class);
    Outcome.Equivocation q = (Outcome.Equivocation) o;
    assertThat(q.first().headerBytes()).isEqualTo(p.block().headerBytes());
    assertThat(q.second().headerBytes()).isEqualTo(other.headerBytes());
    assertThat(s.banned(Bytes.of((byte) 1)).trusted()).isFalse();
  }

  @Test
  void check_proposalAhead_needsFromNextHeight() throws Exception {
    ChainState s = accept(chain.genesis(), chain.next(2));
    chain.next(2);
    PoahWire.Proposal ahead = chain.next(2);
    assertThat(check(s, ahead)).isEqualTo(new Outcome.Need(1));
    assertThat(checker.check("x", Optional.empty(), ahead, Optional.empty(), NOW))
        .isEqualTo(new Outcome.Need(0));
  }

  @Test
  void check_headerTimeFarAhead_rejectedByTimeRule() throws Exception {
    PoahWire.Proposal p = chain.next(2);
    Outcome o =
        checker.check(
            TestChain.DEVICE,
            Optional.of(chain.genesis()),
            p,
            Optional.empty(),
            p.block().header().time() - ProposalChecker.MAX_SKEW_MILLIS - 1);
    assertThat(o).isInstanceOf(Outcome.Reject.class);
    assertThat(((Outcome.Reject) o).rule()).isEqualTo("time");
  }
}
