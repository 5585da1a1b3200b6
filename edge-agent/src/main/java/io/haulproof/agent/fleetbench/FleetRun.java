package io.haulproof.agent.fleetbench;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborArray;
import io.haulproof.lightchain.cbor.CborBytes;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.uplink.mqtt.ConnectionSupervisor;
import io.haulproof.uplink.mqtt.MqttMessage;
import io.haulproof.uplink.wire.ReceiptMessage;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Drives simulated trucks against ledgers over MQTT like real trucks: enrollment response with the
 * certificate chain (retained), entries with their user properties, a checkpoint every {@code
 * checkpointEvery} entries, and a resend of what a receipt's {@code entries_stored} says is
 * missing. All truck state is touched only by the driver thread; MQTT callbacks only enqueue.
 */
final class FleetRun {
  /** What the run counted, from the ledgers' receipts. */
  record Result(
      int trucks,
      long entries,
      long stored,
      long cosigned,
      long lost,
      long duplicates,
      double seconds,
      List<Long> latenciesMillis,
      long conflicts,
      long rejected,
      Map<String, Long> publishFailures) {}

  /** A truck without a receipt this long sends its last checkpoint again. */
  private static final long RETRY_S = 20;

  private final List<SimTruck> trucks;
  private final List<ConnectionSupervisor> connections;
  private final int checkpointEvery;
  private final java.util.function.Function<Bytes, ReceiptMessage> receipts;
  private final int window;
  private final List<Semaphore> inflight = new ArrayList<>();
  private final LinkedBlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
  private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
  private final SecureRandom random = new SecureRandom();
  private final Pace pace;
  private final Map<String, Long> publishFailures = new ConcurrentHashMap<>();
  private long start;

  FleetRun(
      List<SimTruck> trucks,
      List<ConnectionSupervisor> connections,
      int checkpointEvery,
      Pace pace,
      java.util.function.Function<Bytes, ReceiptMessage> receipts) {
    this.pace = pace;
    this.receipts = receipts;
    this.trucks = trucks;
    this.connections = connections;
    this.checkpointEvery = checkpointEvery;
    this.window = checkpointEvery; // one checkpoint in flight per truck, like the uplink
    for (int i = 0; i < connections.size(); i++) {
      inflight.add(new Semaphore(64));
    }
  }

  private int conn(int truck) {
    return truck % connections.size();
  }

  /** Subscribes to every truck's receipts; call before the connections start. */
  void subscribe() {
    for (int i = 0; i < trucks.size(); i++) {
      SimTruck t = trucks.get(i);
      connections
          .get(conn(i))
          .subscribe(t.topics.receipts(), 1, m -> events.add(() -> onReceipt(t, m.payload())));
    }
  }

  Result run(Duration timeout) throws InterruptedException {
    start = System.nanoTime();
    trucks.forEach(t -> t.lastReceipt = start);
    long deadline = start + timeout.toNanos();
    enrollAll(deadline);
    for (int i = 0; i < trucks.size(); i++) {
      sendMore(i);
    }
    long lastNudge = System.nanoTime();
    while (System.nanoTime() < deadline && !trucks.stream().allMatch(SimTruck::done)) {
      Runnable ev = events.poll(200, TimeUnit.MILLISECONDS);
      if (ev != null) {
        ev.run();
      }
      long now = System.nanoTime();
      if (pace.paced() || pace.outageTrucks() > 0) {
        for (int i = 0; i < trucks.size(); i++) {
          sendMore(i); // what the trucks lifted since, and backlogs after an outage
        }
      }
      if (now - lastNudge > TimeUnit.SECONDS.toNanos(5)) {
        // A truck without a receipt for a while (ledger killed, broker restart, receipt lost)
        // asks again, like the uplink's periodic checkpoint: the receipt's entries_stored then
        // says what to resend.
        for (int i = 0; i < trucks.size(); i++) {
          SimTruck t = trucks.get(i);
          if (!t.done() && now - t.lastReceipt > TimeUnit.SECONDS.toNanos(RETRY_S)) {
            t.lastReceipt = now;
            nudge(i);
          }
        }
        lastNudge = now;
      }
    }
    long end = System.nanoTime();
    long entries = 0;
    long stored = 0;
    long cosigned = 0;
    long dup = 0;
    long conflicts = 0;
    long rejected = 0;
    for (SimTruck t : trucks) {
      entries += t.size();
      stored += Math.min(t.stored, t.size());
      dup += Math.max(0, t.stored - t.size());
      cosigned += t.cosigned >= t.size() ? 1 : 0;
      conflicts += t.conflicts;
      rejected += t.rejected;
    }
    return new Result(
        trucks.size(),
        entries,
        stored,
        cosigned,
        entries - stored,
        dup,
        (end - start) / 1e9,
        List.copyOf(latencies),
        conflicts,
        rejected,
        Map.copyOf(publishFailures));
  }

  /**
   * Publishes every truck's enrollment (what the technician's tool does once per truck) and
   * republishes those whose publish failed until each has its PUBACK: the broker then holds it
   * retained for every ledger, and a truck without one would only ever be refused.
   */
  private void enrollAll(long deadline) throws InterruptedException {
    List<CompletableFuture<Void>> acks = new ArrayList<>();
    for (int i = 0; i < trucks.size(); i++) {
      acks.add(enroll(i));
    }
    while (true) {
      try {
        CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
        return;
      } catch (java.util.concurrent.CompletionException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("enrollments not acknowledged by the broker", e);
        }
        TimeUnit.SECONDS.sleep(1); // back off, then republish the failed ones
        for (int i = 0; i < acks.size(); i++) {
          if (acks.get(i).isCompletedExceptionally()) {
            acks.set(i, enroll(i));
          }
        }
      }
    }
  }

  private CompletableFuture<Void> enroll(int i) throws InterruptedException {
    SimTruck t = trucks.get(i);
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    List<io.haulproof.lightchain.cbor.CborValue> chain = new ArrayList<>();
    t.chainDer.forEach(d -> chain.add(new CborBytes(d)));
    Bytes payload =
        CborMap.builder().put(1, Bytes.wrap(nonce)).put(2, new CborArray(chain)).build().encode();
    return publish(i, MqttMessage.of(t.topics.base() + "enroll/res", payload).asRetained());
  }

  private boolean offline(int i) {
    return pace.offline(i, System.nanoTime() - start);
  }

  /**
   * Sends the next chunk of entries and its checkpoint while the truck is within its window and has
   * produced them (paced), unless it is out of coverage.
   */
  private void sendMore(int i) throws InterruptedException {
    SimTruck t = trucks.get(i);
    if (offline(i)) {
      return;
    }
    long produced =
        pace.produced(i, trucks.size(), checkpointEvery, t.size(), System.nanoTime() - start);
    while (t.sent < produced && t.sent - t.cosigned < window) {
      long to = Math.min(t.size(), t.sent + checkpointEvery);
      sendEntries(i, t.sent, to);
      t.sent = to;
      t.publishedAt.putIfAbsent(to, System.nanoTime());
      publish(i, MqttMessage.of(t.topics.checkpoints(), t.checkpoint(to)));
    }
  }

  /**
   * Sends the truck's last checkpoint again, not its entries: its receipt says how many entries the
   * ledgers hold, and {@link #onReceipt} resends the rest. Resending the entries themselves on
   * silence, as this did before session 10, made a slow ledger slower: with receipts 72 s late
   * (three instances on two cores) every truck resent its window about three times, 68,700
   * duplicates for 30,000 entries. A real truck does not resend entries without a receipt either.
   */
  private void nudge(int i) throws InterruptedException {
    SimTruck t = trucks.get(i);
    if (offline(i)) {
      return;
    }
    if (t.sent == 0) {
      sendMore(i);
      return;
    }
    publish(i, MqttMessage.of(t.topics.checkpoints(), t.checkpoint(t.sent)));
  }

  private void sendEntries(int i, long from, long to) throws InterruptedException {
    SimTruck t = trucks.get(i);
    for (long x = from; x < to; x++) {
      publish(
          i,
          MqttMessage.of(t.topics.entries(), t.entries.get((int) x))
              .withUserProperties(
                  List.of(
                      new MqttMessage.UserProperty("index", Long.toString(x)),
                      new MqttMessage.UserProperty("seq", Long.toString(t.seqs.get((int) x))),
                      new MqttMessage.UserProperty("kind", "collection"))));
    }
  }

  /**
   * Publishes within the connection's window. A failed publish is counted by cause; entries and
   * checkpoints are covered by the receipt-driven resend, enrollments by {@link #enroll}.
   */
  private CompletableFuture<Void> publish(int truck, MqttMessage m) throws InterruptedException {
    int c = conn(truck);
    Semaphore s = inflight.get(c);
    s.acquire();
    CompletableFuture<Void> f;
    try {
      f = connections.get(c).publish(m);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    return f.whenComplete(
        (v, e) -> {
          s.release();
          if (e != null) {
            Throwable cause =
                e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
            publishFailures.merge(
                cause.getClass().getSimpleName() + ": " + cause.getMessage(), 1L, Long::sum);
          }
        });
  }

  private void onReceipt(SimTruck t, Bytes payload) {
    ReceiptMessage r;
    try {
      r = receipts.apply(payload);
    } catch (RuntimeException e) { // not a receipt, or not signed by the pinned witness
      t.rejected++;
      return;
    }
    int i = trucks.indexOf(t);
    t.lastReceipt = System.nanoTime();
    if (r.entriesStored() > t.stored) {
      t.stored = r.entriesStored();
      long now = System.nanoTime();
      t.publishedAt
          .entrySet()
          .removeIf(
              e -> {
                if (e.getKey() <= t.stored) {
                  latencies.add(TimeUnit.NANOSECONDS.toMillis(now - e.getValue()));
                  return true;
                }
                return false;
              });
    }
    try {
      if (r instanceof ReceiptMessage.Cosigned c) {
        t.cosigned = Math.max(t.cosigned, c.size());
        if (t.stored < c.size() && !offline(i)) {
          sendEntries(i, t.stored, c.size());
          publish(i, MqttMessage.of(t.topics.checkpoints(), t.checkpoint(c.size())));
        }
        sendMore(i);
      } else if (r instanceof ReceiptMessage.Conflict c) {
        // Usually a checkpoint proven from a size older than the witness's latest (receipts
        // crossed): learn the witnessed size if it is our own checkpoint, and send it again.
        t.conflicts++;
        if (t.learnWitnessed(c.latest()) && !offline(i)) {
          publish(i, MqttMessage.of(t.topics.checkpoints(), t.checkpoint(t.sent)));
        }
      } else {
        t.rejected++;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
