package io.haulproof.uplink.outbox;

import java.io.IOException;
import java.time.Duration;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox cursor: the index of the first entry not yet acknowledged, advanced only over a
 * contiguous run of acknowledgements and persisted to the {@link CursorFile} at most every {@code
 * flushInterval}.
 *
 * <p>Confined to the outbox thread {@code exec}, except {@link #view()}.
 */
final class DurableCursor {
  // Logs under Outbox, the category operators already filter on.
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);

  private final CursorFile file;
  private final ScheduledExecutorService exec;
  private final Duration flushInterval;
  private final TreeSet<Long> acked = new TreeSet<>();
  private long cursor;
  private long persisted;
  private boolean flushScheduled;
  private volatile long view;

  /** Starts at the cursor stored in {@code file}. */
  DurableCursor(CursorFile file, ScheduledExecutorService exec, Duration flushInterval) {
    this.file = file;
    this.exec = exec;
    this.flushInterval = flushInterval;
    long stored = file.read();
    this.cursor = stored;
    this.persisted = stored;
    this.view = stored;
  }

  /** The cursor, on the outbox thread. */
  long position() {
    return cursor;
  }

  /** The cursor as last published, from any thread. */
  long view() {
    return view;
  }

  /**
   * Records that entry {@code index} was acknowledged; the cursor moves over it once every entry
   * before it is acknowledged too. An index below the cursor is ignored.
   */
  void acknowledge(long index) {
    if (index < cursor) {
      return;
    }
    acked.add(index);
    boolean moved = false;
    while (!acked.isEmpty() && acked.first() == cursor) {
      acked.pollFirst();
      cursor++;
      moved = true;
    }
    if (moved) {
      view = cursor;
      scheduleFlush();
    }
  }

  /**
   * Moves the cursor back to {@code index}, forgetting acknowledgements beyond it. Returns false,
   * changing nothing, unless {@code 0 <= index < cursor}.
   */
  boolean rewindTo(long index) {
    if (index < 0 || index >= cursor) {
      return false;
    }
    cursor = index;
    view = index;
    acked.clear();
    scheduleFlush();
    return true;
  }

  /** Writes the cursor now if it moved since the last write; a failed write is logged. */
  void flush() {
    if (cursor == persisted) {
      return;
    }
    try {
      file.write(cursor);
      persisted = cursor;
    } catch (IOException e) {
      LOG.error("cannot persist outbox cursor {} to {}: {}", cursor, file.path(), e.toString());
    }
  }

  private void scheduleFlush() {
    if (flushScheduled) {
      return;
    }
    flushScheduled = true;
    exec.schedule(
        () -> {
          flushScheduled = false;
          flush();
        },
        flushInterval.toMillis(),
        TimeUnit.MILLISECONDS);
  }
}
