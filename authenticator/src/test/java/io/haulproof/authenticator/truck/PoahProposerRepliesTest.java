package io.haulproof.authenticator.truck;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.authenticator.PoahSettings;
import io.haulproof.authenticator.Roles;
import io.haulproof.authenticator.wire.PoahCodec;
import io.haulproof.authenticator.wire.PoahWire;
import io.haulproof.authenticator.wire.ReplySigning;
import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.block.AuthenticatorSignature;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.entry.ConfigBody;
import io.haulproof.lightchain.poah.BlockSigning;
import io.haulproof.lightchain.poah.LocalProposer;
import io.haulproof.lightchain.poah.PoahTopics;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.lightchain.testing.TestChains;
import io.haulproof.uplink.mqtt.ConnectionSupervisor;
import io.haulproof.uplink.mqtt.MqttMessage;
import io.haulproof.uplink.mqtt.MqttSettings;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The truck's proposer against rejections and needs that anyone on the broker could publish: only
 * those a trusted member of the set in force signed for this chain are believed, and a need is
 * served only while fresh, once, and at most once per node per second. Runs the real proposer,
 * lightchain and connection supervisor over an in-memory transport, counting the proposals it
 * publishes.
 */
class PoahProposerRepliesTest {
  private static final String FLEET = "fleet-1";
  private static final String DEVICE = "truck-p";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  private final DeviceKey nodeA = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
  private final DeviceKey nodeB = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
  private final DeviceKey stranger = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
  private final AtomicLong now = new AtomicLong(System.currentTimeMillis());
  private final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
  private final InMemoryMqtt broker = new InMemoryMqtt();
  private Lightchain chain;
  private ConnectionSupervisor mqtt;
  private PoahProposer proposer;
  private int baseline;

  /** A chain of two sealed blocks under the set {A, B}, quorum 2, and its proposer connected. */
  @BeforeEach
  void start() throws Exception {
    chain =
        TestChains.open(
            dir.resolve("truck"), SoftwareDeviceKey.generate(CoseAlgorithm.ES256), DEVICE);
    Map<String, X509Certificate> set = new LinkedHashMap<>();
    set.put("a", certificate(nodeA, "a"));
    set.put("b", certificate(nodeB, "b"));
    byte[] json = new ObjectMapper().writeValueAsBytes(PoahSettings.toConfig(2, set));
    chain
        .append(new ConfigBody(1, "config", Bytes.wrap(json), Optional.empty(), Optional.empty()))
        .get(30, TimeUnit.SECONDS);
    TestChains.appendConfigs(chain, 9);
    chain.flush().get(30, TimeUnit.SECONDS);
    assertThat(chain.blocks()).hasSize(2);

    mqtt = new ConnectionSupervisor(broker, MqttSettings.of("tcp://127.0.0.1:1", "truck-p"));
    proposer =
        new PoahProposer(chain, FLEET, DEVICE, kid -> List.of(), mqtt, events::add, now::get);
    proposer.start();
    CountDownLatch connected = new CountDownLatch(1);
    mqtt.onConnected(connected::countDown); // runs after the proposer's own listener
    mqtt.start();
    assertThat(connected.await(30, TimeUnit.SECONDS)).as("MQTT connected within 30 s").isTrue();
    proposer.awaitIdle();
    baseline = proposals();
    assertThat(baseline).as("pending blocks proposed on connect").isGreaterThanOrEqualTo(2);
  }

  @AfterEach
  void stop() throws Exception {
    if (proposer != null) {
      proposer.close();
    }
    if (mqtt != null) {
      mqtt.close();
    }
    if (chain != null) {
      chain.close();
    }
  }

  @Test
  void need_signedByMember_servedFromItsHeight() throws Exception {
    // when
    need(ReplySigning.need(nodeA, FLEET, DEVICE, 1, now.get()));
    // then
    Map<String, Object> served = await("need_served", 1).get(0);
    assertThat(served).containsEntry("from_height", 1L).containsEntry("blocks", 1L);
    proposer.awaitIdle();
    List<MqttMessage> resent = proposalsSinceBaseline();
    assertThat(resent).hasSize(1);
    assertThat(
            ((PoahWire.Proposal) PoahCodec.decode(resent.get(0).payload())).block().headerBytes())
        .isEqualTo(chain.blocks().get(1).headerBytes());
    assertThat(proposer.needResends()).isEqualTo(1);
    assertThat(proposer.badNeeds()).isZero();
  }

  @Test
  void need_forgedOrForAnotherChain_notServedAndCounted() throws Exception {
    PoahWire.Need byStranger = ReplySigning.need(stranger, FLEET, DEVICE, 0, now.get());
    PoahWire.Need otherChain = ReplySigning.need(nodeA, FLEET, "truck-other", 0, now.get());
    PoahWire.Need otherFleet = ReplySigning.need(nodeA, "fleet-2", DEVICE, 0, now.get());
    PoahWire.Need signed = ReplySigning.need(nodeA, FLEET, DEVICE, 1, now.get());
    PoahWire.Rejection rejection =
        ReplySigning.rejection(nodeA, FLEET, DEVICE, 0, Hash.sha256(Bytes.of((byte) 1)), "a", "b");
    // when: a stranger's need; a stranger's signature naming member A; A's need for another chain
    // and another fleet; A's need with its height lowered; A's rejection and junk on the topic
    need(byStranger);
    need(new PoahWire.Need(nodeA.kid(), 0, now.get(), byStranger.signature()));
    need(otherChain);
    need(otherFleet);
    need(new PoahWire.Need(nodeA.kid(), 0, signed.timeMillis(), signed.signature()));
    broker.deliver(MqttMessage.of(PoahTopics.need(FLEET, DEVICE), PoahCodec.encode(rejection)));
    broker.deliver(MqttMessage.of(PoahTopics.need(FLEET, DEVICE), Bytes.of((byte) 0xa0)));
    // then
    List<Map<String, Object>> bad = await("bad_need", 7);
    assertThat(bad)
        .extracting(e -> e.get("reason"))
        .containsExactly(
            "not_a_member",
            "bad_signature",
            "bad_signature",
            "bad_signature",
            "bad_signature",
            "malformed",
            "malformed");
    proposer.awaitIdle();
    assertThat(proposalsSinceBaseline()).isEmpty();
    assertThat(events).noneMatch(e -> e.get("event").equals("need_served"));
    assertThat(proposer.badNeeds()).isEqualTo(7);
  }

  @Test
  void need_staleOrReplayed_notServed() throws Exception {
    long window = NeedGate.WINDOW_MILLIS;
    PoahWire.Need fresh = ReplySigning.need(nodeA, FLEET, DEVICE, 0, now.get());
    // when: too old, too far ahead, then a fresh one twice, then an older fresh one
    need(ReplySigning.need(nodeA, FLEET, DEVICE, 0, now.get() - window - 1));
    need(ReplySigning.need(nodeA, FLEET, DEVICE, 0, now.get() + window + 1));
    need(fresh);
    need(fresh);
    need(ReplySigning.need(nodeA, FLEET, DEVICE, 0, now.get() - 1));
    // then
    assertThat(await("bad_need", 4))
        .extracting(e -> e.get("reason"))
        .containsExactly("stale", "stale", "replayed", "replayed");
    proposer.awaitIdle();
    assertThat(events.stream().filter(e -> e.get("event").equals("need_served"))).hasSize(1);
    assertThat(proposalsSinceBaseline()).hasSize(2);
  }

  @Test
  void need_burstFromOneNode_coalescedIntoOneMoreResend() throws Exception {
    long t = now.get();
    // when: four needs from A within the same second (its clock moving on), one from B
    need(ReplySigning.need(nodeA, FLEET, DEVICE, 1, t));
    need(ReplySigning.need(nodeA, FLEET, DEVICE, 1, t + 1));
    need(ReplySigning.need(nodeA, FLEET, DEVICE, 0, t + 2));
    need(ReplySigning.need(nodeA, FLEET, DEVICE, 1, t + 3));
    need(ReplySigning.need(nodeB, FLEET, DEVICE, 1, t));
    // then: A is served at once from 1, then once more from the lowest (0) for the other three;
    // B at once
    List<Map<String, Object>> served = await("need_served", 3);
    proposer.awaitIdle();
    String a = nodeA.kid().toHex();
    assertThat(served)
        .filteredOn(e -> e.get("kid").equals(a))
        .extracting(e -> e.get("from_height"), e -> e.get("needs"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, 1), org.assertj.core.groups.Tuple.tuple(0L, 3));
    assertThat(served).filteredOn(e -> !e.get("kid").equals(a)).hasSize(1);
    assertThat(proposalsSinceBaseline()).hasSize(1 + 2 + 1);
    assertThat(proposer.needResends()).isEqualTo(3);
    assertThat(proposer.badNeeds()).isZero();
  }

  @Test
  void need_fromMemberThatLostTrust_notServed() throws Exception {
    // given: A signed two headers that are not this chain's: provably invalid work
    for (int i = 0; i < 2; i++) {
      Block foreign =
          new LocalProposer(stranger)
              .propose(Optional.empty(), 0, 5, Hash.sha256(Bytes.of((byte) i)), 5);
      PoahWire.Authentication garbage =
          new PoahWire.Authentication(
              foreign.headerBytes(),
              new AuthenticatorSignature(
                  nodeA.kid(),
                  nodeA.sign(BlockSigning.authenticationMessage(foreign.headerBytes()))));
      broker.deliver(
          MqttMessage.of(PoahTopics.authentication(FLEET, DEVICE), PoahCodec.encode(garbage)));
    }
    assertThat(proposer.tracker().isTrusted(nodeA.kid())).isFalse();
    // when
    need(ReplySigning.need(nodeA, FLEET, DEVICE, 0, now.get()));
    // then
    assertThat(await("bad_need", 1).get(0)).containsEntry("reason", "untrusted");
    proposer.awaitIdle();
    assertThat(proposalsSinceBaseline()).isEmpty();
  }

  @Test
  void rejection_signedByMember_reported() throws Exception {
    Hash h = chain.blocks().get(1).hash();
    // when
    rejection(ReplySigning.rejection(nodeB, FLEET, DEVICE, 1, h, "root", "wrong tree_root"));
    // then
    Map<String, Object> e = await("rejection", 1).get(0);
    assertThat(e)
        .containsEntry("height", 1L)
        .containsEntry("kid", nodeB.kid().toHex())
        .containsEntry("rule", "root")
        .containsEntry("reason", "wrong tree_root");
    assertThat(proposer.badRejections()).isZero();
  }

  @Test
  void rejection_forgedOrAltered_badRejectionAndNotReported() throws Exception {
    Hash h = chain.blocks().get(1).hash();
    PoahWire.Rejection real = ReplySigning.rejection(nodeB, FLEET, DEVICE, 1, h, "root", "wrong");
    // when: a stranger's; a stranger's naming B; B's with its reason changed; B's for another
    // chain; a need on the rejection topic
    rejection(ReplySigning.rejection(stranger, FLEET, DEVICE, 1, h, "root", "wrong"));
    rejection(
        new PoahWire.Rejection(
            1,
            h,
            nodeB.kid(),
            "root",
            "wrong",
            ReplySigning.rejection(stranger, FLEET, DEVICE, 1, h, "root", "wrong").signature()));
    rejection(new PoahWire.Rejection(1, h, nodeB.kid(), "root", "forged", real.signature()));
    rejection(ReplySigning.rejection(nodeB, FLEET, "truck-other", 1, h, "root", "wrong"));
    broker.deliver(
        MqttMessage.of(
            PoahTopics.rejection(FLEET, DEVICE),
            PoahCodec.encode(ReplySigning.need(nodeB, FLEET, DEVICE, 0, now.get()))));
    // then: all delivered and handled (rejections are handled as they arrive)
    assertThat(events)
        .filteredOn(e -> e.get("event").equals("bad_rejection"))
        .extracting(e -> e.get("reason"))
        .containsExactly(
            "not_a_member", "bad_signature", "bad_signature", "bad_signature", "malformed");
    assertThat(events).noneMatch(e -> e.get("event").equals("rejection"));
    assertThat(proposer.badRejections()).isEqualTo(5);
  }

  // ----- helpers -----

  private void need(PoahWire.Need n) throws Exception {
    broker.deliver(MqttMessage.of(PoahTopics.need(FLEET, DEVICE), PoahCodec.encode(n)));
  }

  private void rejection(PoahWire.Rejection r) throws Exception {
    broker.deliver(MqttMessage.of(PoahTopics.rejection(FLEET, DEVICE), PoahCodec.encode(r)));
  }

  private int proposals() {
    return broker.published(t -> t.equals(PoahTopics.proposal(FLEET, DEVICE))).size();
  }

  private List<MqttMessage> proposalsSinceBaseline() {
    List<MqttMessage> all = broker.published(t -> t.equals(PoahTopics.proposal(FLEET, DEVICE)));
    return all.subList(baseline, all.size());
  }

  /** Waits until {@code count} events of {@code kind} arrived; returns them in order. */
  private List<Map<String, Object>> await(String kind, int count) {
    Await.until(
        () -> events(kind).size() >= count, WAIT, count + " " + kind + " events", () -> events);
    return events(kind);
  }

  private List<Map<String, Object>> events(String kind) {
    return events.stream().filter(e -> kind.equals(e.get("event"))).toList();
  }

  /** A certificate for {@code key} in the authenticator role, issued by a throwaway CA. */
  private static X509Certificate certificate(DeviceKey key, String name) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(256);
    KeyPair ca = g.generateKeyPair();
    long t = System.currentTimeMillis();
    JcaX509v3CertificateBuilder b =
        new JcaX509v3CertificateBuilder(
            new X500Name("CN=test-ca"),
            BigInteger.valueOf(t),
            new Date(t - 3_600_000),
            new Date(t + 3_600_000),
            new X500Name("CN=" + name),
            key.publicKey());
    b.addExtension(
        Extension.extendedKeyUsage,
        false,
        new ExtendedKeyUsage(
            KeyPurposeId.getInstance(new ASN1ObjectIdentifier(Roles.AUTHENTICATOR))));
    return new JcaX509CertificateConverter()
        .getCertificate(
            b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate())));
  }
}
