package io.haulproof.uplink.checkpoint;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.uplink.wire.CheckpointMessage;
import io.haulproof.uplink.wire.Cosignatures;
import io.haulproof.uplink.wire.ReceiptMessage;
import io.haulproof.uplink.wire.SignedReceipt;
import io.haulproof.uplink.wire.WireFormatException;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the device's latest checkpoint to the witness every {@code interval} or every {@code
 * everyEntries} new entries, with the consistency proof from the last checkpoint the witness
 * acknowledged, and handles the answers.
 *
 * <p>Security guarantees: only receipts signed by the pinned witness key ({@link SignedReceipt})
 * that answer one of the last {@value #RECENT} checkpoint messages we sent are acted on; anything
 * else (unsigned, forged, another key, an old receipt replayed) is counted in {@link
 * #rejectedReceiptCount()}, logged and dropped, so a third party on the broker can neither make the
 * truck resend its log nor raise a fork alarm. A cosignature is handed to the {@link
 * ReceiptListener} only if it also verifies under the witness key and names a size and root that
 * equal our own tree's; a conflict whose witnessed checkpoint is not a prefix of our tree is
 * reported as a fork, never papered over.
 */
public final class CheckpointPublisher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CheckpointPublisher.class);

  /** How many of our latest checkpoint messages a receipt may answer. */
  static final int RECENT = 16;

  /** What the agent does with the witness's answers. */
  public interface ReceiptListener {
    /** A verified cosignature; the agent appends it as a {@code receipt} entry. */
    void cosigned(ReceiptMessage.Cosigned receipt);

    /** The witness holds a checkpoint our tree does not extend: a fork or rollback of this log. */
    default void fork(ReceiptMessage.Conflict conflict) {}

    /** The witness rejected our checkpoint (malformed, signature, unknown device). */
    default void rejected(ReceiptMessage.Rejected rejected) {}
  }

  /**
   * Tuning.
   *
   * @param interval publish at least this often while there is something new
   * @param everyEntries publish when this many entries were added since the last one
   */
  public record Settings(Duration interval, long everyEntries) {
    public static Settings defaults() {
      return new Settings(Duration.ofSeconds(10), 256);
    }
  }

  private final CheckpointSource source;
  private final LongSupplier logSize;
  private final LongSupplier outboxCursor;
  private final Function<Bytes, CompletableFuture<Void>> send;
  private final SignatureVerifier witness;
  private final ReceiptListener listener;
  private final java.util.function.LongConsumer rewind;
  private final Settings settings;
  private final ScheduledThreadPoolExecutor exec;

  // confined to exec
  private long acknowledged;
  private Hash acknowledgedRoot;
  private long lastSentSize = -1;
  private long cursorAtSend;

  /** entries_stored of the last receipt: the entries the ledger holds without a gap. */
  private long ledgerHolds = -1;

  private long lastSentNanos;
  private volatile long cosigned;
  private volatile long published;
  private volatile long conflicts;
  private volatile long duplicates;
  private final java.util.concurrent.atomic.AtomicLong rejectedReceipts =
      new java.util.concurrent.atomic.AtomicLong();

  /** Hashes of the checkpoint messages we sent last, newest last; confined to exec. */
  private final java.util.ArrayDeque<Hash> recent = new java.util.ArrayDeque<>();

  /**
   * @param logSize the log's durable size
   * @param outboxCursor the outbox cursor (entries acknowledged by the broker)
   * @param send sends a {@code checkpoints} payload on the urgent lane
   * @param witnessKey the pinned witness key; receipts are checked against it
   * @param rewind asks the outbox to resend from an index (the ledger holds fewer entries than the
   *     broker acked)
   */
  public CheckpointPublisher(
      CheckpointSource source,
      LongSupplier logSize,
      LongSupplier outboxCursor,
      Function<Bytes, CompletableFuture<Void>> send,
      PublicKey witnessKey,
      ReceiptListener listener,
      java.util.function.LongConsumer rewind,
      Settings settings) {
    this.source = source;
    this.logSize = logSize;
    this.outboxCursor = outboxCursor;
    this.send = send;
    this.witness = SignatureVerifier.of(witnessKey); // kept: a fresh one per receipt costs ~4x
    this.listener = listener;
    this.rewind = rewind;
    this.settings = settings;
    this.exec =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "checkpoint-publisher");
              t.setDaemon(true);
              return t;
            });
  }

  public void start() {
    exec.scheduleWithFixedDelay(this::tick, 0, 250, TimeUnit.MILLISECONDS);
  }

  /** Publishes the latest checkpoint now if the witness has not acknowledged it yet. */
  public void publishNow() {
    exec.execute(() -> publish(true));
  }

  /** The largest tree size the witness cosigned. */
  public long acknowledgedSize() {
    try {
      return exec.submit(() -> acknowledged).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("checkpoint publisher did not answer", e);
    }
  }

  public long cosignedCount() {
    return cosigned;
  }

  public long publishedCount() {
    return published;
  }

  public long conflictCount() {
    return conflicts;
  }

  /** Cosignatures dropped because the witness had already cosigned that size (not logged again). */
  public long duplicateCount() {
    return duplicates;
  }

  /**
   * Receipts refused: unsigned, not the witness's, malformed, or answering no recent checkpoint.
   */
  public long rejectedReceiptCount() {
    return rejectedReceipts.get();
  }

  /**
   * Handles a payload from the {@code receipts} topic (or a CoAP checkpoint answer); anything but a
   * receipt signed by the witness for one of our recent checkpoints is counted, logged and dropped.
   */
  public void onReceipt(Bytes payload) {
    SignedReceipt.Opened opened;
    try {
      opened = SignedReceipt.open(witness, payload);
    } catch (RuntimeException e) {
      reject("not signed by the witness: " + e.getMessage());
      return;
    }
    exec.execute(
        () -> {
          if (!recent.contains(opened.answers())) {
            reject("answers none of our last " + RECENT + " checkpoint messages (a replay?)");
            return;
          }
          handle(opened.receipt(), opened.answers().equals(recent.peekLast()));
        });
  }

  private void reject(String why) {
    long n = rejectedReceipts.incrementAndGet();
    LOG.warn("receipt refused ({} so far): {}", n, why);
  }

  @Override
  public void close() {
    exec.shutdownNow();
  }

  // ----- exec -----

  private void tick() {
    try {
      publish(false);
    } catch (RuntimeException e) {
      LOG.error("checkpoint tick failed", e);
    }
  }

  private void publish(boolean force) {
    Optional<CheckpointSource.Signed> latest = source.latest();
    if (latest.isEmpty()) {
      return;
    }
    CheckpointSource.Signed cp = latest.get();
    if (cp.size() <= acknowledged && acknowledgedRoot != null && ledgerHolds >= cp.size()) {
      return; // witnessed, and the ledger holds every entry it covers
    }
    long now = System.nanoTime();
    boolean due =
        force
            || lastSentSize < 0
            || now - lastSentNanos >= settings.interval().toNanos()
            || (cp.size() > lastSentSize
                && logSize.getAsLong() - lastSentSize >= settings.everyEntries());
    if (!due) {
      return;
    }
    List<Hash> proof =
        acknowledged == 0 || acknowledged == cp.size()
            ? List.of()
            : source.consistencyProof(acknowledged, cp.size());
    Bytes payload = new CheckpointMessage(cp.wire(), acknowledged, proof).encode();
    Hash sent = SignedReceipt.answers(payload);
    if (!recent.contains(sent)) {
      if (recent.size() == RECENT) {
        recent.removeFirst();
      }
      recent.addLast(sent);
    }
    lastSentSize = cp.size();
    lastSentNanos = now;
    cursorAtSend = outboxCursor.getAsLong();
    published++;
    send.apply(payload)
        .whenComplete(
            (v, ex) -> {
              if (ex != null) {
                LOG.debug("checkpoint {} not sent: {}", cp.size(), ex.toString());
              }
            });
  }

  /**
   * Acts on a signed receipt; {@code latest}: it answers the last checkpoint message we sent, the
   * only one whose {@code entries_stored} may rewind the outbox (an older genuine receipt,
   * replayed, would move it back for nothing).
   */
  private void handle(ReceiptMessage r, boolean latest) {
    ledgerHolds = r.entriesStored();
    if (latest && r.entriesStored() >= 0 && r.entriesStored() < cursorAtSend) {
      LOG.warn(
          "ledger holds {} entries but the broker acknowledged {}; resending from {}",
          r.entriesStored(),
          cursorAtSend,
          r.entriesStored());
      rewind.accept(r.entriesStored());
      cursorAtSend = r.entriesStored();
    }
    if (r instanceof ReceiptMessage.Cosigned c) {
      try {
        Cosignatures.verify(witness, c.checkpoint(), c.timestamp(), c.cosignature());
        CheckpointText.SizeAndRoot sr = CheckpointText.parse(c.checkpoint());
        if (sr.size() != c.size() || !sr.root().equals(c.root())) {
          throw new WireFormatException(
              "receipt size/root "
                  + c.size()
                  + "/"
                  + c.root()
                  + " differ from its text "
                  + sr.size()
                  + "/"
                  + sr.root());
        }
        if (c.size() > logSize.getAsLong() || !source.root(c.size()).equals(c.root())) {
          throw new WireFormatException("cosigned root at size " + c.size() + " is not our tree's");
        }
      } catch (RuntimeException e) {
        LOG.warn("receipt ignored: {}", e.getMessage());
        return;
      }
      if (c.size() <= acknowledged && acknowledgedRoot != null) {
        // A second answer for a checkpoint already cosigned (sent twice, or answered twice): it is
        // already logged, and logging it again would only add entries.
        duplicates++;
        return;
      }
      acknowledged = c.size();
      acknowledgedRoot = c.root();
      cosigned++;
      listener.cosigned(c);
    } else if (r instanceof ReceiptMessage.Conflict c) {
      conflicts++;
      if (!c.latest().isEmpty()) {
        try {
          CheckpointText.SizeAndRoot w = CheckpointText.parse(c.latest());
          if (w.size() <= logSize.getAsLong() && source.root(w.size()).equals(w.root())) {
            // The witness holds an older checkpoint of ours (we lost our state): prove from there.
            LOG.info(
                "witness holds our checkpoint at size {}; republishing with proof from there",
                w.size());
            acknowledged = w.size();
            acknowledgedRoot = w.root();
            publish(true);
            return;
          }
        } catch (RuntimeException e) {
          LOG.warn("conflict carries unreadable checkpoint: {}", e.getMessage());
        }
      }
      LOG.error("witness reports a conflict we cannot resolve: {}", c.reason());
      listener.fork(c);
    } else if (r instanceof ReceiptMessage.Rejected x) {
      LOG.error("witness rejected our checkpoint: {}", x.reason());
      listener.rejected(x);
    }
  }
}
