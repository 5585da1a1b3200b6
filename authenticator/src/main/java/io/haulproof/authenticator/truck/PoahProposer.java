package io.haulproof.authenticator.truck;

import io.haulproof.authenticator.ConfigHistory;
import io.haulproof.authenticator.PoahSettings;
import io.haulproof.authenticator.wire.PoahCodec;
import io.haulproof.authenticator.wire.PoahWire;
import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.poah.PoahTopics;
import io.haulproof.uplink.mqtt.ConnectionSupervisor;
import io.haulproof.uplink.mqtt.MqttMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The truck's side of multi-node PoAh: proposes each sealed block, with the entries it covers, to
 * the authenticators over the broker, stores every authentication durably as it arrives ({@link
 * AuthenticationLog}) and counts it towards finality ({@link FinalityTracker}).
 *
 * <p>Liveness: logging never waits for any of this. Blocks are sealed and entries acknowledged
 * locally as always; the block thread only hands the news to this proposer's own thread. While the
 * broker is away nothing is proposed; after each connect the proposer proposes, in order, every
 * block from the lowest one not yet final, and when an authenticator says from which height it
 * needs blocks, it proposes from there.
 *
 * <p>Security guarantees: a rejection is reported, and a need served, only when its signature
 * verifies under the key of a trusted member of the set in force ({@link ReplyCheck}); anything
 * else is counted and reported as {@code bad_rejection} or {@code bad_need}, and nothing else
 * happens. A need is served only while fresh and newer than its node's last, and resends are
 * coalesced to at most one per node per second ({@link NeedGate}), so neither a forged nor a
 * replayed need can make the truck spend its uplink.
 */
public final class PoahProposer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PoahProposer.class);

  private final Lightchain chain;
  private final String fleet;
  private final String chainId;
  private final Function<Kid, List<Bytes>> deviceCertificates;
  private final ConnectionSupervisor mqtt;
  private final Consumer<Map<String, Object>> events;
  private final AuthenticationLog authentications;
  private final ConfigHistory configs = new ConfigHistory();
  private final FinalityTracker tracker;
  private final List<Block> blocks = new ArrayList<>(); // guarded by itself
  private final Map<Long, Long> firstProposed = new ConcurrentHashMap<>();
  private final Map<Long, Long> finalizedAt = new ConcurrentHashMap<>();
  private final ScheduledThreadPoolExecutor worker =
      new ScheduledThreadPoolExecutor(
          1,
          r -> {
            Thread t = new Thread(r, "poah-proposer");
            t.setDaemon(true);
            return t;
          });
  private final NodeReplies replies;
  private long observedUpTo; // worker thread
  private long nextToPropose; // worker thread

  /**
   * Opens the authentication record of {@code chain}'s data dir and replays it.
   *
   * @param chainId this chain's id on the wire (the device id)
   * @param deviceCertificates the device certificate chain of the chain's first key, sent with the
   *     genesis block so authenticators can register that key
   * @param events told about finality, rejections and trust changes as JSON-ready maps
   */
  public PoahProposer(
      Lightchain chain,
      String fleet,
      String chainId,
      List<Bytes> deviceCertificates,
      ConnectionSupervisor mqtt,
      Consumer<Map<String, Object>> events)
      throws IOException {
    this(
        chain,
        fleet,
        chainId,
        constant(deviceCertificates),
        mqtt,
        events,
        System::currentTimeMillis);
  }

  /**
   * As above, for a device that may enroll or rotate its key while running: {@code
   * deviceCertificates} is asked, each time the genesis block is proposed, for the certificate
   * chain of the key that signed it (the chain's first key, which a rotation before PoAh was
   * enabled has since replaced); empty before enrollment, and the nodes then refuse the block and
   * ask for it again, with {@code need}, once a later block arrives.
   */
  public PoahProposer(
      Lightchain chain,
      String fleet,
      String chainId,
      Function<Kid, List<Bytes>> deviceCertificates,
      ConnectionSupervisor mqtt,
      Consumer<Map<String, Object>> events)
      throws IOException {
    this(chain, fleet, chainId, deviceCertificates, mqtt, events, System::currentTimeMillis);
  }

  /** As above, with the clock (Unix ms) that judges whether a {@code need} is fresh. */
  public PoahProposer(
      Lightchain chain,
      String fleet,
      String chainId,
      Function<Kid, List<Bytes>> deviceCertificates,
      ConnectionSupervisor mqtt,
      Consumer<Map<String, Object>> events,
      LongSupplier clock)
      throws IOException {
    this.worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.chain = chain;
    this.fleet = fleet;
    this.chainId = chainId;
    this.deviceCertificates = deviceCertificates;
    this.mqtt = mqtt;
    this.events = events;
    this.authentications = AuthenticationLog.open(chain.dataDir());
    this.tracker = new FinalityTracker(configs, this::blockAt);
    this.replies =
        new NodeReplies(
            new ReplyCheck(fleet, chainId, tracker),
            chainId,
            clock,
            worker,
            this::lastSealed,
            this::resendFrom,
            events);
    refresh();
    observeEntries();
    for (PoahWire.Authentication a : authentications.all()) {
      tracker.add(a);
    }
  }

  /** Subscribes and hooks into the chain; call before the supervisor starts. */
  public void start() {
    mqtt.subscribe(PoahTopics.authentication(fleet, chainId), 1, this::onAuthentication);
    mqtt.subscribe(
        PoahTopics.need(fleet, chainId), 1, m -> submit(() -> replies.onNeed(m.payload())));
    mqtt.subscribe(PoahTopics.rejection(fleet, chainId), 1, m -> replies.onRejection(m.payload()));
    mqtt.onConnected(() -> submit(this::proposePending));
    chain.addCheckpointListener(n -> submit(this::proposeNew));
    submit(this::proposeNew);
  }

  /**
   * Hands work to the proposer's thread; never throws into the caller (the block thread must not
   * notice the proposer at all, closed or not).
   */
  private void submit(Runnable task) {
    try {
      worker.execute(task);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      LOG.debug("proposer closed; {} not run", task);
    }
  }

  /** Stored before the broker is acknowledged: at-least-once, and duplicates count once. */
  private void onAuthentication(MqttMessage m) throws IOException {
    PoahWire.Authentication a;
    try {
      if (!(PoahCodec.decode(m.payload()) instanceof PoahWire.Authentication x)) {
        return;
      }
      a = x;
    } catch (CborException e) {
      LOG.warn("undecodable authentication on {}: {}", m.topic(), e.getMessage());
      return;
    }
    authentications.append(a);
    FinalityTracker.Effect effect = tracker.add(a);
    long height = a.height();
    if (effect == FinalityTracker.Effect.FINAL) {
      long now = System.currentTimeMillis();
      finalizedAt.put(height, now);
      Map<String, Object> e = event("final");
      e.put("height", height);
      e.put("signatures", tracker.count(height));
      Long proposed = firstProposed.get(height);
      if (proposed != null) {
        e.put("latency_ms", now - proposed);
      }
      e.put("pending", pending());
      events.accept(e);
    } else if (effect == FinalityTracker.Effect.WRONG_HEADER
        || effect == FinalityTracker.Effect.NO_SUCH_BLOCK
        || effect == FinalityTracker.Effect.UNATTRIBUTABLE) {
      Map<String, Object> e = event("bad_authentication");
      e.put("height", height);
      e.put("kid", a.signature().kid().toHex());
      e.put("effect", effect.name().toLowerCase(java.util.Locale.ROOT));
      e.put("score", tracker.score(a.signature().kid()));
      e.put("trusted", tracker.isTrusted(a.signature().kid()));
      events.accept(e);
    }
  }

  private void proposeNew() {
    try {
      refresh();
      observeEntries();
      int size = sealed();
      for (long h = nextToPropose; h < size; h++) {
        propose(h);
      }
      nextToPropose = Math.max(nextToPropose, size);
    } catch (IOException | RuntimeException e) {
      LOG.warn("proposing new blocks failed: {}", e.toString());
    }
  }

  private void proposePending() {
    try {
      refresh();
      observeEntries();
      int size = sealed();
      long from = 0;
      while (from < size && isFinal(from)) {
        from++;
      }
      proposeFrom(from);
      nextToPropose = Math.max(nextToPropose, size);
    } catch (IOException | RuntimeException e) {
      LOG.warn("proposing pending blocks failed: {}", e.toString());
    }
  }

  /** The height of the last sealed block, −1 for none. */
  private long lastSealed() {
    refresh();
    try {
      observeEntries(); // the set in force may have changed in the blocks just sealed
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return sealed() - 1;
  }

  /** For a need: proposes again from {@code from} up to the last sealed block; returns how many. */
  private long resendFrom(long from) throws IOException {
    refresh();
    int size = sealed();
    proposeFrom(from);
    return Math.max(0, size - Math.max(0, from));
  }

  private void proposeFrom(long from) throws IOException {
    int size = sealed();
    for (long h = Math.max(0, from); h < size; h++) {
      propose(h);
    }
  }

  private void propose(long height) throws IOException {
    Block b = blockAt(height).orElseThrow();
    long first = b.header().firstIndex();
    List<Bytes> entries = new ArrayList<>((int) b.header().count());
    for (long i = first; i < first + b.header().count(); i++) {
      entries.add(chain.log().read(i));
    }
    PoahWire.Proposal p =
        new PoahWire.Proposal(
            b,
            entries,
            height == 0
                ? List.copyOf(deviceCertificates.apply(b.header().proposerKid()))
                : List.of());
    firstProposed.putIfAbsent(height, System.currentTimeMillis());
    String topic = PoahTopics.proposal(fleet, chainId);
    mqtt.publish(MqttMessage.of(topic, PoahCodec.encode(p)))
        .whenComplete(
            (v, ex) -> {
              if (ex != null) {
                LOG.debug("proposal {} not sent: {}", height, ex.toString());
              }
            });
  }

  /** Loads blocks sealed since the last look. */
  private void refresh() {
    synchronized (blocks) {
      List<Block> all = chain.blocks();
      for (int i = blocks.size(); i < all.size(); i++) {
        blocks.add(all.get(i));
      }
    }
  }

  /** Feeds every entry of the sealed blocks to the configuration history, once. */
  private void observeEntries() throws IOException {
    long end;
    synchronized (blocks) {
      end = blocks.isEmpty() ? 0 : blocks.get(blocks.size() - 1).header().treeSize();
    }
    for (long i = observedUpTo; i < end; i++) {
      if (!chain.log().records().isLost(i)) {
        configs.observe(i, chain.log().read(i));
      }
    }
    observedUpTo = Math.max(observedUpTo, end);
  }

  private int sealed() {
    synchronized (blocks) {
      return blocks.size();
    }
  }

  private Optional<Block> blockAt(long height) {
    synchronized (blocks) {
      return height >= 0 && height < blocks.size()
          ? Optional.of(blocks.get((int) height))
          : Optional.empty();
    }
  }

  /** Final: single-node blocks by their own authentication, others at quorum. */
  public boolean isFinal(long height) {
    Optional<Block> b = blockAt(height);
    if (b.isEmpty()) {
      return false;
    }
    Optional<PoahSettings> s = tracker.settingsFor(b.get());
    return s.isEmpty() || tracker.isFinal(height);
  }

  /** Sealed blocks not final yet. */
  public long pending() {
    long n = 0;
    int size = sealed();
    for (long h = 0; h < size; h++) {
      if (!isFinal(h)) {
        n++;
      }
    }
    return n;
  }

  /** Rejections not believed (malformed, not a member's, bad signature, untrusted). */
  public long badRejections() {
    return replies.badRejections();
  }

  /** Needs not served (as for rejections, plus stale or replayed). */
  public long badNeeds() {
    return replies.badNeeds();
  }

  /** Resends made for needs (coalesced needs count once). */
  public long needResends() {
    return replies.resends();
  }

  /** For tests: returns once every task handed to the proposer's thread before the call has run. */
  void awaitIdle() throws Exception {
    worker.submit(() -> {}).get(30, TimeUnit.SECONDS);
  }

  public FinalityTracker tracker() {
    return tracker;
  }

  /** When {@code height} was first proposed (Unix ms), or null. */
  public Long proposedAt(long height) {
    return firstProposed.get(height);
  }

  /** When {@code height} became final here (Unix ms), or null. */
  public Long finalAt(long height) {
    return finalizedAt.get(height);
  }

  /** When each height was first proposed and became final (Unix ms), for benchmarks. */
  public Map<Long, Long> firstProposed() {
    return Map.copyOf(firstProposed);
  }

  public Map<Long, Long> finalizedAt() {
    return Map.copyOf(finalizedAt);
  }

  private static Function<Kid, List<Bytes>> constant(List<Bytes> certificates) {
    List<Bytes> copy = List.copyOf(certificates);
    return kid -> copy;
  }

  private Map<String, Object> event(String kind) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("event", kind);
    e.put("chain", chainId);
    return e;
  }

  @Override
  public void close() throws IOException {
    worker.shutdown();
    try {
      worker.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    authentications.close();
  }
}
