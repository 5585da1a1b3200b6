package io.haulproof.authenticator.node;

import io.haulproof.authenticator.wire.PoahCodec;
import io.haulproof.authenticator.wire.PoahWire;
import io.haulproof.authenticator.wire.ReplySigning;
import io.haulproof.lightchain.block.AuthenticatorSignature;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.poah.BlockSigning;
import io.haulproof.lightchain.poah.PoahTopics;
import io.haulproof.uplink.mqtt.ConnectionSupervisor;
import io.haulproof.uplink.mqtt.MqttMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PoAh authenticator node: takes proposals of every chain of its fleet from the broker, decides
 * on each with {@link ProposalChecker}, and publishes its authentication, rejection (with the
 * reason), need (the height it needs blocks from) or equivocation evidence. Rejections and needs
 * are signed with the node's key, like its authentications ({@link ReplySigning}); a need carries
 * the node's clock time.
 *
 * <p>All decisions run on one thread, in arrival order. Security guarantees: the state that records
 * a signature (and a trust change) is durable ({@link StateStore#save}) before the signature is
 * published, so after a crash or {@code kill -9} the node resends what it signed and never signs a
 * second header at that height. After each (re)connect it says, for every chain it knows, from
 * which height it needs blocks, and resends its last authentication (it may have been lost in the
 * crash).
 */
public final class AuthenticatorNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuthenticatorNode.class);
  private static final long NEED_REPEAT_MILLIS = 1000;

  private final NodeIdentity id;
  private final StateStore store;
  private final ProposalChecker checker;
  private final ConnectionSupervisor mqtt;
  private final Consumer<Map<String, Object>> events;
  private final LongSupplier clock;
  private final ExecutorService worker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "poah-authenticator");
            t.setDaemon(true);
            return t;
          });
  // Owned by the worker thread.
  private final Map<String, Optional<ChainState>> states = new HashMap<>();
  private final Map<String, Block> seenAtNext = new HashMap<>();
  private final Map<String, long[]> lastNeed = new HashMap<>();
  private long signed;
  private long rejected;

  /**
   * @param events told about every decision as a JSON-ready map (the CLI prints them as lines)
   */
  public AuthenticatorNode(
      NodeIdentity id,
      Path dataDir,
      ConnectionSupervisor mqtt,
      Consumer<Map<String, Object>> events,
      LongSupplier clock)
      throws IOException {
    this.id = id;
    this.store = new StateStore(dataDir);
    this.checker = new ProposalChecker(id.fleetRoot());
    this.mqtt = mqtt;
    this.events = events;
    this.clock = clock;
  }

  /** Subscribes and connects; the first "ready" event follows the first connect. */
  public void start() {
    mqtt.subscribe(
        PoahTopics.everyChain(id.fleet(), "proposal"), 1, m -> submit(() -> onProposal(m)));
    mqtt.onConnected(() -> submit(this::afterConnect));
    mqtt.start();
  }

  private void submit(Runnable task) {
    try {
      worker.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("node closing; message dropped (the truck proposes again)");
    }
  }

  private void afterConnect() {
    try {
      for (String chain : store.chains()) {
        Optional<ChainState> s = state(chain);
        if (s.isPresent()) {
          publish(PoahTopics.need(id.fleet(), chain), need(chain, s.get().nextHeight()));
          if (s.get().lastAuthentication().isPresent()) {
            publish(
                PoahTopics.authentication(id.fleet(), chain),
                new PoahWire.Authentication(
                    s.get().last().orElseThrow().headerBytes(),
                    s.get().lastAuthentication().get()));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.error("cannot announce this node's chains", e);
    }
    Map<String, Object> e = event("ready");
    e.put("kid", id.key().kid().toHex());
    e.put("fleet", id.fleet());
    events.accept(e);
  }

  private void onProposal(MqttMessage m) {
    Optional<String> chain = PoahTopics.chainOf(m.topic());
    if (chain.isEmpty() || !StateStore.CHAIN.matcher(chain.get()).matches()) {
      return;
    }
    String c = chain.get();
    PoahWire.Proposal p;
    try {
      if (!(PoahCodec.decode(m.payload()) instanceof PoahWire.Proposal x)) {
        return;
      }
      p = x;
    } catch (CborException | IllegalArgumentException e) {
      LOG.warn("undecodable proposal on {}: {}", m.topic(), e.getMessage());
      return;
    }
    try {
      decide(c, p);
    } catch (IOException | RuntimeException e) {
      LOG.error("proposal on chain {} at height {} failed", c, p.block().header().height(), e);
      Map<String, Object> ev = event("error");
      ev.put("chain", c);
      ev.put("reason", String.valueOf(e.getMessage()));
      events.accept(ev);
    }
  }

  private void decide(String chain, PoahWire.Proposal p) throws IOException {
    Optional<ChainState> known = state(chain);
    Block block = p.block();
    long height = block.header().height();
    Optional<Block> seen =
        Optional.ofNullable(seenAtNext.get(chain))
            .filter(b -> known.isPresent() && b.header().height() == known.get().nextHeight());
    Outcome o = checker.check(chain, known, p, seen, clock.getAsLong());
    if (o instanceof Outcome.Accept a) {
      AuthenticatorSignature sig =
          new AuthenticatorSignature(
              id.key().kid(),
              id.key().sign(BlockSigning.authenticationMessage(block.headerBytes())));
      ChainState next = a.next().withAuthentication(sig);
      store.save(next); // durable before anyone can see the signature
      states.put(chain, Optional.of(next));
      seenAtNext.remove(chain);
      signed++;
      publish(
          PoahTopics.authentication(id.fleet(), chain),
          new PoahWire.Authentication(block.headerBytes(), sig));
      Map<String, Object> e = event("signed");
      e.put("chain", chain);
      e.put("height", height);
      e.put("block", block.hash().toHex());
      e.put("entries", block.header().count());
      events.accept(e);
    } else if (o instanceof Outcome.Resend r) {
      publish(
          PoahTopics.authentication(id.fleet(), chain),
          new PoahWire.Authentication(block.headerBytes(), r.signature()));
    } else if (o instanceof Outcome.Need n) {
      long now = clock.getAsLong();
      long[] last = lastNeed.get(chain);
      if (last == null || last[0] != n.fromHeight() || now - last[1] >= NEED_REPEAT_MILLIS) {
        lastNeed.put(chain, new long[] {n.fromHeight(), now});
        publish(PoahTopics.need(id.fleet(), chain), need(chain, n.fromHeight()));
        Map<String, Object> e = event("need");
        e.put("chain", chain);
        e.put("from_height", n.fromHeight());
        e.put("proposed_height", height);
        events.accept(e);
      }
    } else if (o instanceof Outcome.Reject r) {
      if (r.next().isPresent()) {
        store.save(r.next().get());
        states.put(chain, r.next());
        seenAtNext.put(chain, block);
      }
      reject(chain, block, r.rule(), r.reason(), r.next().map(ChainState::score));
    } else if (o instanceof Outcome.Equivocation q) {
      Bytes evidence = Evidence.sign(id.key(), chain, q.first(), q.second());
      store.save(q.state().banned(evidence));
      states.put(chain, Optional.of(q.state().banned(evidence)));
      publish(
          PoahTopics.evidence(id.fleet(), chain),
          MqttMessage.of(PoahTopics.evidence(id.fleet(), chain), evidence).asRetained());
      Map<String, Object> e = event("equivocation");
      e.put("chain", chain);
      e.put("height", height);
      e.put("first", q.first().hash().toHex());
      e.put("second", q.second().hash().toHex());
      events.accept(e);
      reject(
          chain,
          block,
          "equivocation",
          "proposer "
              + block.header().proposerKid()
              + " signed two headers at height "
              + height
              + ": "
              + q.first().hash()
              + " and "
              + q.second().hash()
              + "; evidence published, proposer untrusted",
          Optional.of(0));
    }
  }

  private void reject(
      String chain, Block block, String rule, String reason, Optional<Integer> score) {
    rejected++;
    publish(
        PoahTopics.rejection(id.fleet(), chain),
        ReplySigning.rejection(
            id.key(), id.fleet(), chain, block.header().height(), block.hash(), rule, reason));
    Map<String, Object> e = event("rejected");
    e.put("chain", chain);
    e.put("height", block.header().height());
    e.put("rule", rule);
    e.put("reason", reason);
    score.ifPresent(s -> e.put("proposer_score", s));
    events.accept(e);
  }

  /** A need from {@code fromHeight}, made now and signed with this node's key. */
  private PoahWire.Need need(String chain, long fromHeight) {
    return ReplySigning.need(id.key(), id.fleet(), chain, fromHeight, clock.getAsLong());
  }

  private Optional<ChainState> state(String chain) throws IOException {
    Optional<ChainState> s = states.get(chain);
    if (s == null) {
      s = store.load(chain);
      states.put(chain, s);
    }
    return s;
  }

  private void publish(String topic, PoahWire m) {
    publish(topic, MqttMessage.of(topic, PoahCodec.encode(m)));
  }

  private void publish(String topic, MqttMessage m) {
    mqtt.publish(m)
        .whenComplete(
            (v, ex) -> {
              if (ex != null) {
                LOG.warn("publish on {} failed: {}", topic, ex.toString());
              }
            });
  }

  private Map<String, Object> event(String kind) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("event", kind);
    return e;
  }

  public long signedCount() {
    return signed;
  }

  public long rejectedCount() {
    return rejected;
  }

  @Override
  public void close() {
    worker.shutdown();
    try {
      worker.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    mqtt.close();
  }
}
