package io.haulproof.agent.poah;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.haulproof.authenticator.node.ChainState;
import io.haulproof.authenticator.node.Evidence;
import io.haulproof.authenticator.node.StateStore;
import io.haulproof.authenticator.wire.PoahWire;
import io.haulproof.authenticator.wire.ReplySigning;
import io.haulproof.lightchain.block.AuthenticatorSignature;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.block.BlockCodec;
import io.haulproof.lightchain.block.BlockHeader;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.crypto.VerificationException;
import io.haulproof.lightchain.entry.KeyAction;
import io.haulproof.lightchain.poah.BlockSigning;
import io.haulproof.lightchain.poah.PoahTopics;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.lightchain.testing.TestEntries;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-node PoAh when things go wrong, with three {@code haulproof authenticator} processes and a
 * real Mosquitto: forged and replayed proposals, an equivocating proposer, a Byzantine
 * authenticator, nodes offline, key rotation mid-chain and a node killed with SIGKILL.
 */
class PoahFaultsIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir static Path dir;
  static PoahFixture fleet;
  static PoahWatcher watcher;

  @BeforeAll
  static void startFleet() throws Exception {
    fleet = new PoahFixture(dir, 3).startAll();
    watcher = new PoahWatcher(fleet.broker.url(), PoahFixture.FLEET, "poah-test-watcher");
  }

  @AfterAll
  static void stopFleet() throws Exception {
    if (watcher != null) {
      watcher.close();
    }
    if (fleet != null) {
      fleet.close();
    }
  }

  @BeforeEach
  void everyNodeRunning() throws Exception {
    for (AuthenticatorProcess n : fleet.nodes) {
      if (!n.isAlive()) {
        n.start();
      }
    }
  }

  private static boolean signedAt(AuthenticatorProcess n, String chain, long height) {
    return n.events().stream()
        .anyMatch(
            e ->
                e.path("event").asText().equals("signed")
                    && e.path("chain").asText().equals(chain)
                    && e.path("height").asLong() == height);
  }

  private static void awaitSignedByAll(String chain, long height) throws Exception {
    for (AuthenticatorProcess n : fleet.nodes) {
      n.await(
          chain + " signed at " + height,
          e ->
              e.path("event").asText().equals("signed")
                  && e.path("chain").asText().equals(chain)
                  && e.path("height").asLong() == height,
          WAIT);
    }
  }

  @Test
  void proposal_forged_refusedByEveryNodeWithItsReason() throws Exception {
    // given: three chains whose genesis blocks every node signed
    ForgedChain wrongKey = new ForgedChain(fleet.ca, "forge-key");
    ForgedChain altered = new ForgedChain(fleet.ca, "forge-entry");
    ForgedChain wrongRoot = new ForgedChain(fleet.ca, "forge-root");
    for (ForgedChain c : List.of(wrongKey, altered, wrongRoot)) {
      watcher.propose(c.device, c.next(4));
    }
    for (ForgedChain c : List.of(wrongKey, altered, wrongRoot)) {
      awaitSignedByAll(c.device, 0);
    }

    // when: block 1 signed by a key the chain never registered
    List<Bytes> e1 = wrongKey.newEntries(3);
    DeviceKey stranger = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    watcher.propose(
        wrongKey.device,
        new PoahWire.Proposal(
            wrongKey.block(stranger, e1, wrongKey.range().root()), e1, List.of()));
    // an entry altered after it was signed, the root recomputed and the header signed by the truck
    List<Bytes> e2 = altered.newEntries(3);
    Bytes changed = ForgedChain.alterPayload(e2.get(1));
    e2.set(1, changed);
    altered.entries.set(altered.entries.size() - 2, changed);
    watcher.propose(
        altered.device,
        new PoahWire.Proposal(
            altered.block(altered.key, e2, altered.range().root()), e2, List.of()));
    // a root that is not the entries'
    List<Bytes> e3 = wrongRoot.newEntries(3);
    watcher.propose(
        wrongRoot.device,
        new PoahWire.Proposal(
            wrongRoot.block(wrongRoot.key, e3, Hash.sha256(Bytes.of((byte) 1))), e3, List.of()));

    // then
    assertThat(watcher.rejections(wrongKey.device, 3, r -> r.height() == 1, WAIT))
        .allSatisfy(
            r -> {
              assertThat(r.rule()).isEqualTo("proposer");
              assertThat(r.reason()).contains("not a registered key");
            });
    assertThat(watcher.rejections(altered.device, 3, r -> r.height() == 1, WAIT))
        .allSatisfy(
            r -> {
              assertThat(r.rule()).isEqualTo("entry_signatures");
              assertThat(r.reason()).contains("does not verify");
            });
    List<PoahWire.Rejection> rootRejections =
        watcher.rejections(wrongRoot.device, 3, r -> r.height() == 1, WAIT);
    assertThat(rootRejections)
        .allSatisfy(
            r -> {
              assertThat(r.rule()).isEqualTo("root");
              assertThat(r.reason()).contains("wrong tree_root");
            });
    // each rejection is signed by the node it names, for this chain only
    Map<Kid, X509Certificate> certs = new HashMap<>();
    for (AuthenticatorProcess n : fleet.nodes) {
      X509Certificate cert = PoahSetup.certificateOf(n.dataDir());
      certs.put(Kid.of(cert.getPublicKey()), cert);
    }
    assertThat(
            rootRejections.stream()
                .map(PoahWire.Rejection::authenticator)
                .collect(Collectors.toSet()))
        .isEqualTo(certs.keySet());
    for (PoahWire.Rejection r : rootRejections) {
      SignatureVerifier v = SignatureVerifier.of(certs.get(r.authenticator()).getPublicKey());
      ReplySigning.verify(v, PoahFixture.FLEET, wrongRoot.device, r);
      assertThatThrownBy(() -> ReplySigning.verify(v, PoahFixture.FLEET, altered.device, r))
          .isInstanceOf(VerificationException.class);
    }
    for (AuthenticatorProcess n : fleet.nodes) {
      for (ForgedChain c : List.of(wrongKey, altered, wrongRoot)) {
        assertThat(signedAt(n, c.device, 1)).as(n.name() + " signed a forgery").isFalse();
      }
    }
  }

  @Test
  void proposal_replayedOld_refused() throws Exception {
    // given
    ForgedChain c = new ForgedChain(fleet.ca, "replay");
    for (int i = 0; i < 3; i++) {
      watcher.propose(c.device, c.next(2));
    }
    awaitSignedByAll(c.device, 2);
    // when
    watcher.propose(c.device, c.proposals.get(0));
    // then
    assertThat(watcher.rejections(c.device, 3, r -> r.height() == 0, WAIT))
        .allSatisfy(
            r -> {
              assertThat(r.rule()).isEqualTo("replay");
              assertThat(r.reason()).contains("replayed");
            });
  }

  @Test
  void proposer_equivocates_evidencePublishedAndProposerUntrusted() throws Exception {
    // given
    ForgedChain c = new ForgedChain(fleet.ca, "equivocator");
    PoahWire.Proposal first = c.next(3);
    watcher.propose(c.device, first);
    awaitSignedByAll(c.device, 0);
    // when: a second, different header at height 0, signed by the same key
    c.blocks.clear();
    Block second = c.block(c.key, first.entries(), c.range().root());
    watcher.propose(c.device, new PoahWire.Proposal(second, first.entries(), List.of()));
    // then: the evidence entry holds both signed headers and verifies with a node's key
    Bytes evidence = watcher.evidence(c.device, WAIT);
    Block[] both = Evidence.blocks(evidence);
    assertThat(Set.of(both[0].headerBytes(), both[1].headerBytes()))
        .containsExactlyInAnyOrder(first.block().headerBytes(), second.headerBytes());
    CoseSign1 signed = CoseSign1.decode(evidence);
    List<Kid> nodeKids = new ArrayList<>();
    for (AuthenticatorProcess n : fleet.nodes) {
      X509Certificate cert = PoahSetup.certificateOf(n.dataDir());
      nodeKids.add(Kid.of(cert.getPublicKey()));
      if (Kid.of(cert.getPublicKey()).equals(signed.kid())) {
        signed.verify(cert.getPublicKey());
      }
    }
    assertThat(nodeKids).contains(signed.kid());
    for (AuthenticatorProcess n : fleet.nodes) {
      n.await(
          "equivocation",
          e ->
              e.path("event").asText().equals("equivocation")
                  && e.path("chain").asText().equals(c.device),
          WAIT);
    }
    // and its next, valid block is refused: the proposer is untrusted at once
    c.blocks.clear();
    c.blocks.add(first.block());
    watcher.propose(c.device, c.next(2));
    assertThat(watcher.rejections(c.device, 3, r -> r.height() == 1, WAIT))
        .allSatisfy(r -> assertThat(r.reason()).contains("untrusted (equivocated)"));
  }

  @Test
  void authenticator_byzantineSignsGarbage_losesTrustAndStopsCounting() throws Exception {
    // given: the set is auth-1, auth-2 and a Byzantine node the test plays, quorum 2
    Path byzDir = dir.resolve("byz");
    X509Certificate byzCert = PoahSetup.initAuthenticator(byzDir, fleet.ca, "byz");
    DeviceKey byz = FileKeyStore.openOrCreate(byzDir);
    Map<String, X509Certificate> set = new LinkedHashMap<>(fleet.members(2));
    set.put("byz", byzCert);
    List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
    try (PoahTruck truck = fleet.truck("truck-byz", events)) {
      truck.configure(fleet.operator, 2, set);
      for (int i = 0; i < 16; i++) {
        truck.append(TestEntries.config(i));
      }
      truck.flush();
      Await.until(() -> truck.proposer().pending() == 0, WAIT, "final");
      Block real = truck.chain().blocks().get(1);
      // when: it signs two headers this chain does not have (it signs without checking)
      for (int i = 0; i < 2; i++) {
        BlockHeader h = real.header();
        Bytes garbage =
            BlockCodec.encodeHeader(
                new BlockHeader(
                    h.height(),
                    h.prevBlockHash(),
                    h.firstIndex(),
                    h.count(),
                    h.treeSize(),
                    Hash.sha256(Bytes.of((byte) i)),
                    h.time(),
                    h.proposerKid()));
        watcher.send(
            PoahTopics.authentication(PoahFixture.FLEET, "truck-byz"),
            new PoahWire.Authentication(
                garbage,
                new AuthenticatorSignature(
                    byz.kid(), byz.sign(BlockSigning.authenticationMessage(garbage)))));
      }
      Await.until(
          () -> truck.proposer().tracker().wrongHeaders(byz.kid()) == 2,
          WAIT,
          "two bad authentications");
      int before = truck.proposer().tracker().count(1);
      // and then signs a real block correctly
      watcher.send(
          PoahTopics.authentication(PoahFixture.FLEET, "truck-byz"),
          new PoahWire.Authentication(
              real.headerBytes(),
              new AuthenticatorSignature(
                  byz.kid(), byz.sign(BlockSigning.authenticationMessage(real.headerBytes())))));
      Await.until(
          () ->
              events.stream().filter(e -> e.get("event").equals("bad_authentication")).count() >= 2,
          WAIT,
          "the good signature stored");
      // then
      assertThat(truck.proposer().tracker().isTrusted(byz.kid())).isFalse();
      assertThat(truck.proposer().tracker().score(byz.kid())).isLessThan(5);
      assertThat(events)
          .filteredOn(e -> e.get("event").equals("bad_authentication"))
          .allSatisfy(e -> assertThat(e.get("effect")).isEqualTo("wrong_header"));
      // its signature no longer counts: only the honest ones do
      assertThat(truck.proposer().tracker().count(1)).isEqualTo(before).isLessThanOrEqualTo(2);
    }
    JsonNode v = PoahFixture.verify(fleet.truckDir("truck-byz"));
    assertThat(v.get("valid").asBoolean()).as(v.toString()).isTrue();
    assertThat(v.get("pending").asLong()).as(v.toString()).isZero();
  }

  @Test
  void authenticator_offline_finalWithQuorumStallsWithoutAndFinalizesOnReturn() throws Exception {
    List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
    AuthenticatorProcess a2 = fleet.nodes.get(1);
    AuthenticatorProcess a3 = fleet.nodes.get(2);
    try (PoahTruck truck = fleet.truck("truck-off", events)) {
      truck.configure(fleet.operator, 2, fleet.members(3));
      // given one node away: quorum 2 of the other two still holds
      a3.stop();
      for (int i = 0; i < 16; i++) {
        truck.append(TestEntries.config(i));
      }
      truck.flush();
      Await.until(() -> truck.proposer().pending() == 0, WAIT, "final without auth-3");
      int finalBlocks = truck.chain().blocks().size();

      // when a second node goes: logging goes on, blocks are sealed, none becomes final
      a2.stop();
      long sizeBefore = truck.chain().log().size();
      for (int i = 0; i < 16; i++) {
        truck.append(TestEntries.config(100 + i)); // acknowledged locally: durable
      }
      truck.flush();
      int sealed = truck.chain().blocks().size();
      assertThat(truck.chain().log().size()).isEqualTo(sizeBefore + 16);
      assertThat(sealed).isGreaterThan(finalBlocks);
      fleet
          .nodes
          .get(0)
          .await(
              "auth-1 signed the last block",
              e ->
                  e.path("event").asText().equals("signed")
                      && e.path("chain").asText().equals("truck-off")
                      && e.path("height").asLong() == sealed - 1,
              WAIT);
      assertThat(truck.proposer().pending()).isEqualTo(sealed - finalBlocks);
      for (long h = finalBlocks; h < sealed; h++) {
        assertThat(truck.proposer().isFinal(h))
            .as("height %d final with one signature", h)
            .isFalse();
      }

      // then: a node returns, says from which height it needs blocks, and they become final
      a2.start();
      a2.await(
          "need",
          e ->
              e.path("event").asText().equals("signed")
                  && e.path("chain").asText().equals("truck-off")
                  && e.path("height").asLong() == sealed - 1,
          WAIT);
      Await.until(() -> truck.proposer().pending() == 0, WAIT, "final after return");
      // and it was the node's signed need that the truck served (a need is believed only under a
      // member's key)
      String a2Kid = Kid.of(PoahSetup.certificateOf(a2.dataDir()).getPublicKey()).toHex();
      assertThat(events)
          .filteredOn(e -> e.get("event").equals("need_served") && e.get("kid").equals(a2Kid))
          .isNotEmpty();
      assertThat(events)
          .filteredOn(e -> e.get("event").equals("bad_need") && a2Kid.equals(e.get("kid")))
          .isEmpty();
    }
    JsonNode v = PoahFixture.verify(fleet.truckDir("truck-off"));
    assertThat(v.get("pending").asLong()).as(v.toString()).isZero();
    assertThat(v.get("min_quorum").asInt()).as(v.toString()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void keys_truckAndOneAuthenticatorRotateMidChain_everyBlockFinal() throws Exception {
    List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
    AuthenticatorProcess a1 = fleet.nodes.get(0);
    Kid oldA1;
    Kid newA1;
    try (PoahTruck truck = fleet.truck("truck-rot", events)) {
      truck.configure(fleet.operator, 2, fleet.members(3));
      for (int i = 0; i < 10; i++) {
        truck.append(TestEntries.config(i));
      }
      // the truck rotates its key
      DeviceKey next = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
      Kid oldTruck = truck.chain().log().size() > 0 ? currentKid(truck) : null;
      truck.append(TestEntries.keyBody(KeyAction.ROTATE, next, Optional.ofNullable(oldTruck)));
      truck.chain().switchKey(next);
      for (int i = 0; i < 10; i++) {
        truck.append(TestEntries.config(100 + i));
      }
      truck.flush();
      Await.until(() -> truck.proposer().pending() == 0, WAIT, "final after truck rotation");
      Block last = truck.chain().blocks().get(truck.chain().blocks().size() - 1);
      assertThat(last.header().proposerKid()).isEqualTo(next.kid());

      // one authenticator rotates: new key, new certificate, new signed configuration
      oldA1 = Kid.of(PoahSetup.certificateOf(a1.dataDir()).getPublicKey());
      a1.stop();
      X509Certificate rotated = PoahSetup.rotateAuthenticator(a1.dataDir(), fleet.ca, "auth-1");
      newA1 = Kid.of(rotated.getPublicKey());
      a1.start();
      truck.configure(fleet.operator, 2, fleet.members(3));
      for (int i = 0; i < 10; i++) {
        truck.append(TestEntries.config(200 + i));
      }
      truck.flush();
      int blocks = truck.chain().blocks().size();
      a1.await(
          "auth-1 with its new key signed the last block",
          e ->
              e.path("event").asText().equals("signed")
                  && e.path("chain").asText().equals("truck-rot")
                  && e.path("height").asLong() == blocks - 1,
          WAIT);
      Await.until(
          () -> truck.proposer().pending() == 0, WAIT, "final after authenticator rotation");
    }
    assertThat(newA1).isNotEqualTo(oldA1);
    JsonNode v = PoahFixture.verify(fleet.truckDir("truck-rot"));
    assertThat(v.get("valid").asBoolean()).as(v.toString()).isTrue();
    assertThat(v.get("pending").asLong()).as(v.toString()).isZero();
    assertThat(v.get("min_quorum").asInt()).as(v.toString()).isGreaterThanOrEqualTo(2);
  }

  private static Kid currentKid(PoahTruck truck) throws Exception {
    return CoseSign1.decode(truck.chain().log().read(truck.chain().log().size() - 1)).kid();
  }

  @Test
  void authenticator_kill9MidRun_comesBackWithStateAndSignsNothingTwice() throws Exception {
    List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
    AuthenticatorProcess a1 = fleet.nodes.get(0);
    Kid a1Kid = Kid.of(PoahSetup.certificateOf(a1.dataDir()).getPublicKey());
    int blocks;
    try (PoahTruck truck = fleet.truck("truck-k9", events)) {
      truck.configure(fleet.operator, 2, fleet.members(3));
      for (int i = 0; i < 40; i++) {
        truck.append(TestEntries.config(i));
      }
      // when: auth-1 dies mid-run, without any chance to flush
      a1.await(
          "auth-1 busy on truck-k9",
          e ->
              e.path("event").asText().equals("signed")
                  && e.path("chain").asText().equals("truck-k9")
                  && e.path("height").asLong() >= 2,
          WAIT);
      a1.kill9();
      for (int i = 0; i < 40; i++) {
        truck.append(TestEntries.config(100 + i));
      }
      a1.start();
      for (int i = 0; i < 40; i++) {
        truck.append(TestEntries.config(200 + i));
      }
      truck.flush();
      blocks = truck.chain().blocks().size();
      a1.await(
          "auth-1 signed the last block",
          e ->
              e.path("event").asText().equals("signed")
                  && e.path("chain").asText().equals("truck-k9")
                  && e.path("height").asLong() == blocks - 1,
          WAIT);
      Await.until(() -> truck.proposer().pending() == 0, WAIT, "final");
      // then: every signature of auth-1 the truck stored is on this chain's own header
      assertThat(truck.proposer().tracker().wrongHeaders(a1Kid)).isZero();
    }
    // across both lives, one header per height
    Map<Long, Set<String>> byHeight = new HashMap<>();
    for (JsonNode e : a1.events()) {
      if (e.path("event").asText().equals("signed")
          && e.path("chain").asText().equals("truck-k9")) {
        byHeight
            .computeIfAbsent(e.get("height").asLong(), h -> new java.util.HashSet<>())
            .add(e.get("block").asText());
      }
    }
    assertThat(byHeight.values().stream().filter(s -> s.size() > 1).collect(Collectors.toList()))
        .isEmpty();
    assertThat(byHeight.keySet()).hasSize(blocks);
    assertThat(a1.events().stream().mapToInt(e -> e.path("life").asInt()).max().orElse(0))
        .isGreaterThanOrEqualTo(2);
    ChainState state = new StateStore(a1.dataDir()).load("truck-k9").orElseThrow();
    assertThat(state.nextHeight()).isEqualTo(blocks);
    JsonNode v = PoahFixture.verify(fleet.truckDir("truck-k9"));
    assertThat(v.get("pending").asLong()).as(v.toString()).isZero();
  }
}
