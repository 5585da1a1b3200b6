package io.haulproof.uplink.outbox;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A cursor over the evidence log that delivers every entry, in order, at least once (DESIGN.md
 * "Uplink").
 *
 * <p>It reads entries from the {@link EntrySource} starting at the persisted cursor, sends them
 * with a bounded in-flight window, and advances the cursor only over entries the far side
 * acknowledged (PUBACK or CoAP 2.xx). Only the cursor is persisted (coalesced, at most every {@code
 * flushInterval}); after a crash, a lost connection or a failed send it resends from the cursor,
 * and the ledger deduplicates on (device, index).
 *
 * <p>Urgent messages ({@link #sendUrgent}: status, management replies, checkpoints) go before any
 * backlog entry and are charged to the bandwidth bucket without waiting, so a multi-day backlog
 * drains at the configured rate without starving live traffic. Memory stays bounded by the window:
 * entries are read from the log just before sending, and no more than {@code window} sends are
 * outstanding at any time, across reconnects included.
 *
 * <p>All state is confined to one thread.
 */
public final class Outbox implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

  /**
   * Tuning.
   *
   * @param window entries in flight at most (keep below the broker's receive maximum, Mosquitto:
   *     20)
   * @param bytesPerSecond bandwidth limit for the backlog, 0 for none
   * @param retryDelay how long to wait after a failed send before resending from the cursor
   * @param flushInterval how often at most the cursor file is rewritten
   */
  public record Settings(
      int window, long bytesPerSecond, Duration retryDelay, Duration flushInterval) {
    public Settings {
      if (window < 1 || window > 65535) {
        throw new IllegalArgumentException("window " + window + ", want 1..65535");
      }
    }

    public static Settings defaults() {
      return new Settings(16, 0, Duration.ofSeconds(1), Duration.ofMillis(200));
    }

    public Settings withWindow(int w) {
      return new Settings(w, bytesPerSecond, retryDelay, flushInterval);
    }

    public Settings withBandwidth(long bps) {
      return new Settings(window, bps, retryDelay, flushInterval);
    }

    public Settings withRetryDelay(Duration d) {
      return new Settings(window, bytesPerSecond, d, flushInterval);
    }
  }

  private final EntrySource source;
  private final EntrySender sender;
  private final ScheduledThreadPoolExecutor exec;
  private final AtomicBoolean pumpQueued = new AtomicBoolean();

  // confined to exec
  private final DurableCursor cursor;
  private final SendWindow window;
  private final UrgentQueue urgent = new UrgentQueue();
  private final Pacer pacer;
  private final RetryPause pause;
  private final OutboundReader reader;
  private volatile boolean closed;

  // statistics (read from any thread)
  private volatile long sent;
  private volatile long bytesSent;
  private volatile long failures;
  private volatile long lostSent;

  public Outbox(EntrySource source, EntrySender sender, CursorFile cursorFile, Settings settings) {
    this.source = source;
    this.sender = sender;
    this.exec =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "outbox");
              t.setDaemon(true);
              return t;
            });
    this.exec.setRemoveOnCancelPolicy(true);
    this.pacer = new Pacer(settings.bytesPerSecond(), exec, this::pump);
    this.cursor = new DurableCursor(cursorFile, exec, settings.flushInterval());
    this.window = new SendWindow(settings.window(), cursor.position());
    this.pause = new RetryPause(exec, settings.retryDelay(), this::retry);
    this.reader = new OutboundReader(source);
  }

  /** Starts sending from the persisted cursor and follows new commits. */
  public void start() {
    source.onCommit(size -> requestPump());
    requestPump();
  }

  /**
   * Resends from the cursor at once (call when a connection comes up): whatever was in flight on
   * the old connection may be lost.
   */
  public void resume() {
    exec.execute(
        () -> {
          window.restartFrom(cursor.position());
          pause.clear();
          pump();
        });
  }

  /**
   * Moves the cursor back to {@code index} and resends from there: the ledger reported that it
   * holds fewer entries than the broker acknowledged (the broker lost them). Ignored if {@code
   * index} is not below the cursor.
   */
  public void rewindTo(long index) {
    exec.execute(
        () -> {
          if (cursor.rewindTo(index)) {
            window.restartFrom(index);
            pump();
          }
        });
  }

  /**
   * Queues an urgent message ahead of the backlog; the future completes when it was acknowledged.
   * It is retried after {@link #resume()} if sending fails.
   */
  public CompletableFuture<Void> sendUrgent(
      String what, int bytes, Supplier<CompletableFuture<Void>> send) {
    UrgentQueue.Urgent u = new UrgentQueue.Urgent(what, bytes, send);
    exec.execute(
        () -> {
          urgent.add(u);
          pump();
        });
    return u.result;
  }

  /** The index of the first entry not yet acknowledged. */
  public long cursor() {
    return cursor.view();
  }

  /** Entries in the log not yet acknowledged. */
  public long depth() {
    return Math.max(0, source.size() - cursor.view());
  }

  public long sent() {
    return sent;
  }

  /** Entries sent again after a failure or restart. */
  public long resent() {
    return window.resent();
  }

  public long bytesSent() {
    return bytesSent;
  }

  public long failures() {
    return failures;
  }

  /** Placeholders sent for records the log lost (each resend counts again). */
  public long lostSent() {
    return lostSent;
  }

  /** The most entries that were ever in flight at once (never above the window). */
  public int maxInFlightSeen() {
    try {
      return exec.submit(window::maxInFlightSeen).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("outbox thread did not answer", e);
    }
  }

  /** Flushes the cursor and stops. */
  @Override
  public void close() {
    closed = true;
    try {
      exec.submit(cursor::flush).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("outbox cursor flush on close failed: {}", e.toString());
    }
    exec.shutdownNow();
  }

  // ----- exec thread -----

  private void requestPump() {
    if (pumpQueued.compareAndSet(false, true)) {
      try {
        exec.execute(
            () -> {
              pumpQueued.set(false);
              pump();
            });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        pumpQueued.set(false);
      }
    }
  }

  private void pump() {
    if (closed) {
      return;
    }
    while (!pause.paused()) {
      UrgentQueue.Urgent u = urgent.poll();
      if (u == null) {
        break;
      }
      pacer.charge(u.bytes);
      CompletableFuture<Void> f;
      try {
        f = u.send.get();
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenComplete((v, ex) -> exec.execute(() -> onUrgentResult(u, ex)));
    }
    if (!urgent.idle() || pause.paused()) {
      return; // the backlog waits behind urgent traffic
    }
    long size = source.size();
    while (window.hasRoom(size)) {
      if (pacer.waiting()) {
        return;
      }
      OutboundEntry out;
      try {
        out = reader.read(window.next());
      } catch (RuntimeException e) {
        failures++;
        LOG.error("cannot read entry {} from the log; retrying: {}", window.next(), e.toString());
        pause.pause();
        return;
      }
      int length = out.cose().length();
      if (!pacer.tryTake(length)) {
        return;
      }
      long gen = window.generation();
      long index = window.take();
      sent++;
      if (out.isLost()) {
        lostSent++;
        LOG.warn("entry {} is lost from the log; sent a lost placeholder instead", index);
      }
      bytesSent += length;
      CompletableFuture<Void> f;
      try {
        f = sender.send(out);
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenComplete((v, ex) -> exec.execute(() -> onResult(gen, index, ex)));
    }
  }

  private void onUrgentResult(UrgentQueue.Urgent u, Throwable ex) {
    urgent.done(u, ex);
    if (ex != null) {
      failures++;
      LOG.debug("urgent {} failed: {}", u.what, ex.toString());
      pause.pause();
    }
    pump();
  }

  private void onResult(long gen, long index, Throwable ex) {
    window.complete();
    if (ex == null) {
      cursor.acknowledge(index);
    } else if (window.isCurrent(gen)) {
      failures++;
      LOG.debug("entry {} not acknowledged: {}", index, ex.toString());
      window.restartFrom(cursor.position());
      pause.pause();
    }
    pump();
  }

  /** The retry pause ended by its delay: resend from the cursor. */
  private void retry() {
    window.restartFrom(cursor.position());
    pump();
  }
}
