package io.haulproof.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Runs work for many devices at once and each device's work in arrival order: a fixed number of
 * lanes, each one thread with a bounded queue, and a device always goes to the same lane. The
 * ledger's ingest is latency-bound (a few database round trips per entry); lanes keep that many
 * transactions in flight instead of one, while a device's entries and checkpoints still meet its
 * row in the order the broker delivered them.
 *
 * <p>{@link #submit} never blocks: it runs on the MQTT client's callback thread, and while that
 * thread waits Paho reads nothing more from the socket, so the PUBACKs of the ledger's own receipts
 * and the SUBACKs after a reconnect stay unread until the supervisor's deadlines drop the client
 * (issue 10: three ledgers on one database reconnected in a loop once a lane's queue of 1,024 was
 * full). The queues have no bound of their own. The ledger announces a Receive Maximum in CONNECT
 * ({@link LedgerService#RECEIVE_MAXIMUM}), which a broker that keeps to MQTT 5 §4.9 makes the
 * bound; Mosquitto 2.0.11 was measured not to (LaneBackpressureIT: 197 messages waiting with 50
 * announced), so there the bound is what the broker queues for the session ({@code
 * max_queued_messages}). Work of a session that is gone is cancelled and skipped.
 *
 * <p>{@link #submitBatch Batchable} work queued back to back for one device runs as one call (one
 * transaction for a device's burst of entries instead of one each); each item's stage completes
 * when that call has run.
 */
final class DeviceLanes implements AutoCloseable {
  /** One unit of work; what it throws fails the returned stage. */
  @FunctionalInterface
  interface Work {
    void run() throws Exception;
  }

  /** Work on items queued back to back for one device; what it throws fails every item's stage. */
  @FunctionalInterface
  interface BatchWork<T> {
    void run(List<T> items) throws Exception;
  }

  /** Items queued for one batch call at most. */
  static final int MAX_BATCH = 64;

  /**
   * A unit of work: {@code item} for {@code batch}, which may take the items of the tasks right
   * behind it that have the same {@code key} and the same {@code batch} instance. Plain work is a
   * batch of its own that nothing joins.
   */
  private record Task(
      CompletableFuture<Void> done, String key, Object item, BatchWork<Object> batch) {
    boolean joins(Task head) {
      return batch == head.batch && key.equals(head.key);
    }
  }

  private static final Task STOP = new Task(new CompletableFuture<>(), "", null, items -> {});

  private final Lane[] lanes;

  /**
   * @param count number of lanes (threads)
   */
  DeviceLanes(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("lanes " + count);
    }
    lanes = new Lane[count];
    for (int i = 0; i < count; i++) {
      lanes[i] = new Lane("ledger-lane-" + i);
    }
  }

  /** The lane a device key always maps to. */
  int laneOf(String key) {
    return Math.floorMod(key.hashCode(), lanes.length);
  }

  /**
   * Queues {@code work} on the lane of {@code key} without blocking; the stage completes when it
   * has run. Fails at once if the lanes are closed.
   */
  CompletionStage<Void> submit(String key, Work work) {
    return submitBatch(key, null, items -> work.run()); // a new instance: nothing joins it
  }

  /**
   * Queues {@code item} for {@code batch} on the lane of {@code key}; it runs together with the
   * items for the same {@code batch} (the same instance) and key queued right behind it, up to
   * {@link #MAX_BATCH}. The stage completes when that call has run.
   */
  @SuppressWarnings("unchecked")
  <T> CompletionStage<Void> submitBatch(String key, T item, BatchWork<T> batch) {
    Task t = new Task(new CompletableFuture<>(), key, item, (BatchWork<Object>) batch);
    lanes[laneOf(key)].put(t);
    return t.done();
  }

  /** Stops taking work and waits (up to 10 s) for the work each lane is running to finish. */
  @Override
  public void close() {
    for (Lane l : lanes) {
      l.stop();
    }
    for (Lane l : lanes) {
      l.awaitStopped();
    }
  }

  private static final class Lane implements Runnable {
    private final BlockingQueue<Task> queue;
    private final Thread thread;
    private volatile boolean stopped;

    Lane(String name) {
      queue = new LinkedBlockingQueue<>();
      thread = new Thread(this, name);
      thread.setDaemon(true);
      thread.start();
    }

    void put(Task t) {
      if (stopped) {
        t.done().completeExceptionally(new IllegalStateException("ledger lanes closed"));
        return;
      }
      queue.add(t);
    }

    void stop() {
      stopped = true;
      for (Task t; (t = queue.poll()) != null; ) {
        t.done().completeExceptionally(new IllegalStateException("ledger lanes closed"));
      }
      queue.offer(STOP);
    }

    void awaitStopped() {
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    @Override
    public void run() {
      while (!stopped) {
        Task t;
        try {
          t = queue.take();
        } catch (InterruptedException e) {
          break;
        }
        if (t == STOP) {
          break;
        }
        if (t.done().isDone()) {
          continue; // cancelled while queued: its MQTT session is gone and the broker redelivers
        }
        runBatch(t);
      }
      for (Task t; (t = queue.poll()) != null; ) {
        t.done().completeExceptionally(new IllegalStateException("ledger lanes closed"));
      }
    }

    /** Runs {@code head} with the joining tasks right behind it (only this thread takes). */
    private void runBatch(Task head) {
      List<Task> tasks = new ArrayList<>();
      tasks.add(head);
      for (Task next; tasks.size() < MAX_BATCH && (next = queue.peek()) != null; ) {
        if (!next.joins(head)) {
          break;
        }
        queue.poll();
        if (!next.done().isDone()) { // cancelled while queued: the broker redelivers
          tasks.add(next);
        }
      }
      List<Object> items = new ArrayList<>(tasks.size());
      tasks.forEach(x -> items.add(x.item()));
      try {
        head.batch().run(items);
        tasks.forEach(x -> x.done().complete(null));
      } catch (Exception | Error e) {
        tasks.forEach(x -> x.done().completeExceptionally(e));
      }
    }
  }
}
