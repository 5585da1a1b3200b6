package io.haulproof.ledger;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs work for many devices at once and each device's work in arrival order: a fixed number of
 * lanes, each one thread with a queue, and a device always goes to the same lane. The ledger's
 * ingest is latency-bound (a few database round trips per entry); lanes keep that many transactions
 * in flight instead of one, while a device's entries and checkpoints still meet its row in the
 * order the broker delivered them.
 *
 * <p>{@link #submit} never blocks: it runs on the MQTT client's callback thread, and while that
 * thread waits Paho reads nothing more from the socket, so the PUBACKs of the ledger's own receipts
 * and the SUBACKs after a reconnect stay unread until the supervisor's deadlines drop the client
 * (issue 10: three ledgers on one database reconnected in a loop once a lane's queue of 1,024 was
 * full).
 *
 * <p>What bounds the queues (issue 10):
 *
 * <ul>
 *   <li><b>Only live work waits.</b> A message's stage is cancelled when its MQTT session goes (the
 *       broker redelivers it on the next one); a cancelled task leaves its queue at once, in O(1),
 *       instead of waiting until its lane reaches it. Otherwise each reconnect left one more
 *       in-flight window of dead work queued, and memory grew during a reconnect loop. So the
 *       queues hold at most what the broker has in flight to the current session: the Receive
 *       Maximum the ledger announces ({@link LedgerService#RECEIVE_MAXIMUM}, MQTT 5 §4.9), or on a
 *       broker that ignores it (Mosquitto 2.0.11, measured in LaneBackpressureIT) its own {@code
 *       max_inflight_messages} (LaneBoundIT: exactly 1,000 unacknowledged with both at 1,000, when
 *       nothing is acknowledged). But Mosquitto before 2.0.13 (Debian 12 ships 2.0.11) keeps to
 *       that window only for acknowledgements in order: lanes acknowledge out of order, and in the
 *       session-9 three-ledger bench one ledger had 11,162 messages in flight against a window of
 *       1,000 (BENCHMARKS.md, "the three-instance reconnect loop").
 *   <li><b>A hard bound as a safety net</b>, for a broker configured to send without limit ({@code
 *       max_inflight_messages 0}): at most {@link #bound()} tasks wait on all lanes together
 *       ({@link #defaultBound()}: sixteen times the Receive Maximum, or {@code
 *       haulproof.ledger.laneQueueBound}). One total, not one per lane: the broker's window is one
 *       per session, and a busy device may rightly fill it on a single lane. Past the bound a task
 *       is <em>shed</em>: its stage fails with {@link FullException} at once, never blocking and
 *       never acknowledging work not done; the MQTT session is dropped for the failed stage
 *       (PahoSession) and the broker redelivers this message and all others not acknowledged. Each
 *       shed is counted ({@code lane.shed}) and the first of each episode logs one line naming the
 *       bound and the broker setting to fix.
 * </ul>
 *
 * <p>Shedding can loop: a broker without an in-flight limit sends a session its whole backlog at
 * once, so when the backlog is above the bound every new session overflows again, and only what
 * finished before the drop is acknowledged (work that ran but was not acknowledged is redelivered
 * and found a duplicate). That loop is chosen over the alternatives: blocking Paho's thread (the
 * original reconnect loop), acknowledging messages not handled (data lost), or unbounded queues
 * (memory grows until the process dies). It only occurs on a misconfigured broker, its memory stays
 * bounded, and it is loud (one log line per episode, the counter) until {@code
 * max_inflight_messages} is set; a broker that keeps to either limit never reaches the bound, and
 * the loop lasts only while a session's burst outruns the lanes (LaneBoundIT: one drop, then all
 * handled).
 *
 * <p>{@link #submitBatch Batchable} work queued for one device runs as one call (one transaction
 * for a device's burst of entries instead of one each), up to the device's next other work, even
 * with other devices' work in between; each item's stage completes when that call has run. In the
 * session-10 fleet bench (1,000 trucks, 8 connections) bursts lay back to back only ~4 at a time.
 */
final class DeviceLanes implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeviceLanes.class);

  /** The system property that overrides {@link #defaultBound()}. */
  static final String BOUND_PROPERTY = "haulproof.ledger.laneQueueBound";

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

  /** The stage of work shed because the lanes hold {@link #bound()} tasks already. */
  static final class FullException extends IOException {
    FullException(String message) {
      super(message);
    }
  }

  /** Items queued for one batch call at most. */
  static final int MAX_BATCH = 64;

  /** Queued tasks looked at, at most, for items that join a batch (a few µs under the lock). */
  static final int MAX_SCAN = 4_096;

  private final Lane[] lanes;
  private final int bound;
  private final Runnable onShed;

  /** Tasks waiting on all lanes (not those running). */
  private final AtomicInteger queued = new AtomicInteger();

  /** Set by a shed, cleared once the queues are back to half the bound: one log line an episode. */
  private final AtomicBoolean overflowing = new AtomicBoolean();

  /**
   * Lanes without a bound of their own (tests; the ledger uses {@link #DeviceLanes(int, int,
   * Runnable)}).
   *
   * @param count number of lanes (threads)
   */
  DeviceLanes(int count) {
    this(count, Integer.MAX_VALUE, () -> {});
  }

  /**
   * @param count number of lanes (threads)
   * @param bound tasks that may wait on all lanes together; past it work is shed
   * @param onShed called (on the submitting thread) for each task shed, to count it
   */
  DeviceLanes(int count, int bound, Runnable onShed) {
    if (count < 1) {
      throw new IllegalArgumentException("lanes " + count);
    }
    if (bound < 1) {
      throw new IllegalArgumentException("lane queue bound " + bound + ", want at least 1");
    }
    this.bound = bound;
    this.onShed = onShed;
    lanes = new Lane[count];
    for (int i = 0; i < count; i++) {
      lanes[i] = new Lane("ledger-lane-" + i);
    }
  }

  /**
   * {@code haulproof.ledger.laneQueueBound} if set, else sixteen times {@link
   * LedgerService#RECEIVE_MAXIMUM} (16,000). A broker that keeps to the Receive Maximum, or to a
   * {@code max_inflight_messages} of up to that, never has more waiting; but Mosquitto before
   * 2.0.13 overruns its window when acknowledgements come out of order, as the lanes' do (11,162 in
   * flight to one ledger was measured with a window of 1,000), and a bound below that sheds, drops
   * the session and gets the whole window redelivered at once: a reconnect loop of its own. Sixteen
   * times leaves room for that and keeps the queues' memory at about 16 MB of the ~1 KB entry
   * messages a truck sends (an entry is at most {@code Ledger.MAX_ENTRY}, 64 KiB).
   */
  static int defaultBound() {
    return Integer.getInteger(BOUND_PROPERTY, 16 * LedgerService.RECEIVE_MAXIMUM);
  }

  /** The lane a device key always maps to. */
  int laneOf(String key) {
    return Math.floorMod(key.hashCode(), lanes.length);
  }

  /** Tasks waiting on all lanes now, not counting those running (the queue-depth gauge). */
  int queued() {
    return queued.get();
  }

  /** Tasks that may wait on all lanes together; past it work is shed. */
  int bound() {
    return bound;
  }

  /**
   * Queues {@code work} on the lane of {@code key} without blocking; the stage completes when it
   * has run. Fails at once if the lanes are closed or hold {@link #bound()} tasks. Cancelling the
   * stage while the work waits takes it off its lane.
   */
  CompletionStage<Void> submit(String key, Work work) {
    return enqueue(key, null, items -> work.run(), false); // a new instance: nothing joins it
  }

  /**
   * Queues {@code item} for {@code batch} on the lane of {@code key}; it runs together with the
   * items for the same {@code batch} (the same instance) and key queued after it, up to {@link
   * #MAX_BATCH} and up to the key's next other work. The stage completes when that call has run; it
   * fails at once if the lanes are closed or hold {@link #bound()} tasks.
   */
  <T> CompletionStage<Void> submitBatch(String key, T item, BatchWork<T> batch) {
    return enqueue(key, item, batch, true);
  }

  @SuppressWarnings("unchecked")
  private <T> CompletionStage<Void> enqueue(
      String key, T item, BatchWork<T> batch, boolean joinable) {
    Lane lane = lanes[laneOf(key)];
    Task t = new Task(lane, key, item, (BatchWork<Object>) batch, joinable);
    if (queued.incrementAndGet() > bound) {
      queued.decrementAndGet();
      shed(t);
    } else {
      if (overflowing.get() && queued.get() <= bound / 2) {
        overflowing.set(false);
      }
      lane.put(t);
    }
    return t;
  }

  private void shed(Task t) {
    onShed.run();
    String full =
        "ledger lanes full: "
            + bound
            + " messages wait, the bound (system property "
            + BOUND_PROPERTY
            + ")";
    if (overflowing.compareAndSet(false, true)) {
      LOG.warn(
          "{}; the broker sends this ledger more unacknowledged messages than its Receive Maximum"
              + " of {}: set the broker's max_inflight_messages to {} or less (0 means unlimited)."
              + " Dropping the MQTT session, the broker redelivers; each message refused counts as"
              + " lane.shed",
          full,
          LedgerService.RECEIVE_MAXIMUM,
          LedgerService.RECEIVE_MAXIMUM);
    }
    t.completeExceptionally(new FullException(full + "; check the broker's max_inflight_messages"));
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

  /**
   * A unit of work and its stage: {@code item} for {@code batch}, which may take the items of the
   * tasks after it that have the same {@code key} and the same {@code batch} instance. Plain work
   * is a batch of its own that nothing joins. A task is its lane's queue node, so that cancelling
   * it unlinks it in O(1).
   */
  private static final class Task extends CompletableFuture<Void> {
    final Lane lane;
    final String key;
    final Object item;
    final BatchWork<Object> batch;

    /** False for plain work: nothing joins it, so its lane does not look for joiners. */
    final boolean joinable;

    // guarded by lane.lock
    Task prev;
    Task next;
    boolean linked;

    Task(Lane lane, String key, Object item, BatchWork<Object> batch, boolean joinable) {
      this.lane = lane;
      this.key = key;
      this.item = item;
      this.batch = batch;
      this.joinable = joinable;
    }

    boolean joins(Task head) {
      return batch == head.batch && key.equals(head.key);
    }

    /** Cancelled while waiting (its MQTT session is gone, the broker redelivers): off the lane. */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        lane.remove(this);
      }
      return cancelled;
    }
  }

  private final class Lane implements Runnable {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition nonEmpty = lock.newCondition();
    private final Thread thread;
    // guarded by lock
    private Task first;
    private Task last;
    private boolean stopped;

    Lane(String name) {
      thread = new Thread(this, name);
      thread.setDaemon(true);
      thread.start();
    }

    /** Appends {@code t}, already counted in {@link #queued}. */
    void put(Task t) {
      lock.lock();
      try {
        if (!stopped) {
          t.prev = last;
          if (last == null) {
            first = t;
          } else {
            last.next = t;
          }
          last = t;
          t.linked = true;
          nonEmpty.signal();
          return;
        }
      } finally {
        lock.unlock();
      }
      queued.decrementAndGet();
      t.completeExceptionally(new IllegalStateException("ledger lanes closed"));
    }

    void remove(Task t) {
      lock.lock();
      try {
        unlink(t);
      } finally {
        lock.unlock();
      }
    }

    /** Takes {@code t} off the queue if it is on it; call with the lock held. */
    private void unlink(Task t) {
      if (!t.linked) {
        return;
      }
      if (t.prev == null) {
        first = t.next;
      } else {
        t.prev.next = t.next;
      }
      if (t.next == null) {
        last = t.prev;
      } else {
        t.next.prev = t.prev;
      }
      t.prev = null;
      t.next = null;
      t.linked = false;
      queued.decrementAndGet();
    }

    /** The first task, unlinked, once there is one; null once stopped. */
    private Task take() throws InterruptedException {
      lock.lock();
      try {
        while (first == null && !stopped) {
          nonEmpty.await();
        }
        if (stopped) {
          return null;
        }
        Task t = first;
        unlink(t);
        return t;
      } finally {
        lock.unlock();
      }
    }

    void stop() {
      List<Task> left = new ArrayList<>();
      lock.lock();
      try {
        stopped = true;
        while (first != null) {
          left.add(first);
          unlink(first);
        }
        nonEmpty.signal();
      } finally {
        lock.unlock();
      }
      for (Task t : left) {
        t.completeExceptionally(new IllegalStateException("ledger lanes closed"));
      }
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
      while (true) {
        Task t;
        try {
          t = take();
        } catch (InterruptedException e) {
          break;
        }
        if (t == null) {
          break;
        }
        if (t.isDone()) {
          continue; // cancelled as it was taken: its MQTT session is gone and the broker redelivers
        }
        runBatch(t);
      }
    }

    /**
     * Runs {@code head} with the tasks of its device that join it, up to the device's next other
     * work (only this thread takes). Other devices' tasks in between stay where they are: the
     * broker interleaves devices, so a device's burst rarely lies back to back on a lane.
     */
    private void runBatch(Task head) {
      List<Task> tasks = new ArrayList<>();
      tasks.add(head);
      if (head.joinable) {
        takeJoiners(head, tasks);
      }
      List<Object> items = new ArrayList<>(tasks.size());
      tasks.forEach(x -> items.add(x.item));
      try {
        head.batch.run(items);
        tasks.forEach(x -> x.complete(null));
      } catch (Exception | Error e) {
        tasks.forEach(x -> x.completeExceptionally(e));
      }
    }

    /** Moves the tasks of {@code head}'s device that join it, up to its next other work. */
    private void takeJoiners(Task head, List<Task> tasks) {
      lock.lock();
      try {
        Task x = first;
        for (int seen = 0; x != null && tasks.size() < MAX_BATCH && seen < MAX_SCAN; seen++) {
          Task next = x.next;
          if (x.key.equals(head.key)) {
            if (!x.joins(head)) {
              break; // the device's other work keeps its place after what ran before it
            }
            unlink(x);
            if (!x.isDone()) { // cancelled, not yet unlinked by its canceller
              tasks.add(x);
            }
          }
          x = next;
        }
      } finally {
        lock.unlock();
      }
    }
  }
}
