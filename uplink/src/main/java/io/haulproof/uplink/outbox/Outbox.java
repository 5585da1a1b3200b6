package io.haulproof.uplink.outbox;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.TreeSet;
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
  private static final int URGENT_WINDOW = 4;

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

  private static final class Urgent {
    final String what;
    final int bytes;
    final Supplier<CompletableFuture<Void>> send;
    final CompletableFuture<Void> result = new CompletableFuture<>();

    Urgent(String what, int bytes, Supplier<CompletableFuture<Void>> send) {
      this.what = what;
      this.bytes = bytes;
      this.send = send;
    }
  }

  private final EntrySource source;
  private final EntrySender sender;
  private final CursorFile cursorFile;
  private final Settings settings;
  private final TokenBucket bucket;
  private final ScheduledThreadPoolExecutor exec;
  private final AtomicBoolean pumpQueued = new AtomicBoolean();
  private final Deque<Urgent> urgent = new ArrayDeque<>();
  private final TreeSet<Long> acked = new TreeSet<>();

  // confined to exec
  private long cursor;
  private long persisted;
  private long next;
  private long generation;
  private int outstanding;
  private int maxInFlightSeen;
  private int urgentInFlight;
  private boolean paused;
  private boolean flushScheduled;
  private boolean bucketWaitScheduled;
  private volatile boolean closed;

  // statistics (read from any thread)
  private volatile long cursorView;
  private volatile long sent;
  private volatile long resent;
  private volatile long bytesSent;
  private volatile long failures;
  private volatile long lostSent;

  public Outbox(EntrySource source, EntrySender sender, CursorFile cursorFile, Settings settings) {
    this.source = source;
    this.sender = sender;
    this.cursorFile = cursorFile;
    this.settings = settings;
    this.bucket =
        new TokenBucket(
            settings.bytesPerSecond(), Math.max(settings.bytesPerSecond() / 4, 64 * 1024));
    this.exec =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "outbox");
              t.setDaemon(true);
              return t;
            });
    this.exec.setRemoveOnCancelPolicy(true);
    long stored = cursorFile.read();
    this.cursor = stored;
    this.persisted = stored;
    this.next = stored;
    this.cursorView = stored;
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
          restartFromCursor();
          paused = false;
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
          if (index >= 0 && index < cursor) {
            cursor = index;
            cursorView = index;
            acked.clear();
            restartFromCursor();
            scheduleFlush();
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
    Urgent u = new Urgent(what, bytes, send);
    exec.execute(
        () -> {
          urgent.addLast(u);
          pump();
        });
    return u.result;
  }

  /** The index of the first entry not yet acknowledged. */
  public long cursor() {
    return cursorView;
  }

  /** Entries in the log not yet acknowledged. */
  public long depth() {
    return Math.max(0, source.size() - cursorView);
  }

  public long sent() {
    return sent;
  }

  /** Entries sent again after a failure or restart. */
  public long resent() {
    return resent;
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
      return exec.submit(() -> maxInFlightSeen).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("outbox thread did not answer", e);
    }
  }

  /** Flushes the cursor and stops. */
  @Override
  public void close() {
    closed = true;
    try {
      exec.submit(this::flushCursor).get(10, TimeUnit.SECONDS);
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
    while (!urgent.isEmpty() && urgentInFlight < URGENT_WINDOW && !paused) {
      Urgent u = urgent.pollFirst();
      urgentInFlight++;
      bucket.force(u.bytes);
      CompletableFuture<Void> f;
      try {
        f = u.send.get();
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenComplete((v, ex) -> exec.execute(() -> onUrgentResult(u, ex)));
    }
    if (!urgent.isEmpty() || urgentInFlight > 0 || paused) {
      return; // the backlog waits behind urgent traffic
    }
    long size = source.size();
    while (outstanding < settings.window() && next < size) {
      if (bucketWaitScheduled) {
        return;
      }
      OutboundEntry out;
      try {
        out = OutboundEntry.of(next, source.read(next));
      } catch (LostEntryException e) {
        LOG.debug("entry {} is lost from the log; sending a lost placeholder", next);
        out = OutboundEntry.lost(next, e.leaf());
      } catch (RuntimeException e) {
        failures++;
        LOG.error("cannot read entry {} from the log; retrying: {}", next, e.toString());
        pauseAndRetry();
        return;
      }
      io.haulproof.lightchain.bytes.Bytes cose = out.cose();
      long wait = bucket.tryTake(cose.length());
      if (wait > 0) {
        bucketWaitScheduled = true;
        exec.schedule(
            () -> {
              bucketWaitScheduled = false;
              pump();
            },
            wait,
            TimeUnit.NANOSECONDS);
        return;
      }
      long index = next++;
      long gen = generation;
      outstanding++;
      maxInFlightSeen = Math.max(maxInFlightSeen, outstanding);
      sent++;
      if (out.isLost()) {
        lostSent++;
        LOG.warn("entry {} is lost from the log; sent a lost placeholder instead", index);
      }
      bytesSent += cose.length();
      CompletableFuture<Void> f;
      try {
        f = sender.send(out);
      } catch (RuntimeException e) {
        f = CompletableFuture.failedFuture(e);
      }
      f.whenComplete((v, ex) -> exec.execute(() -> onResult(gen, index, ex)));
    }
  }

  private void onUrgentResult(Urgent u, Throwable ex) {
    urgentInFlight--;
    if (ex == null) {
      u.result.complete(null);
    } else {
      failures++;
      LOG.debug("urgent {} failed: {}", u.what, ex.toString());
      urgent.addFirst(u);
      pauseAndRetry();
    }
    pump();
  }

  private void onResult(long gen, long index, Throwable ex) {
    outstanding--;
    if (ex == null) {
      if (index >= cursor) {
        acked.add(index);
        boolean moved = false;
        while (!acked.isEmpty() && acked.first() == cursor) {
          acked.pollFirst();
          cursor++;
          moved = true;
        }
        if (moved) {
          cursorView = cursor;
          scheduleFlush();
        }
      }
    } else if (gen == generation) {
      failures++;
      LOG.debug("entry {} not acknowledged: {}", index, ex.toString());
      restartFromCursor();
      pauseAndRetry();
    }
    pump();
  }

  private void restartFromCursor() {
    generation++;
    if (next > cursor) {
      resent += next - cursor;
    }
    next = cursor;
  }

  private void pauseAndRetry() {
    if (paused) {
      return;
    }
    paused = true;
    exec.schedule(
        () -> {
          if (paused) {
            paused = false;
            restartFromCursor();
            pump();
          }
        },
        settings.retryDelay().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void scheduleFlush() {
    if (flushScheduled) {
      return;
    }
    flushScheduled = true;
    exec.schedule(
        () -> {
          flushScheduled = false;
          flushCursor();
        },
        settings.flushInterval().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void flushCursor() {
    if (cursor == persisted) {
      return;
    }
    try {
      cursorFile.write(cursor);
      persisted = cursor;
    } catch (IOException e) {
      LOG.error(
          "cannot persist outbox cursor {} to {}: {}", cursor, cursorFile.path(), e.toString());
    }
  }
}
