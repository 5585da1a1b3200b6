package io.haulproof.lightchain.log;

import io.haulproof.lightchain.bytes.Bytes;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The single writer thread of a {@link SegmentedLog}: takes every queued append, writes the group,
 * forces it once, and only then lets the log complete the futures.
 */
final class GroupWriter {
  /** One queued append; {@code tag} is carried through to the batch hook. */
  record Pending(Bytes payload, Object tag, CompletableFuture<Long> done) {}

  private static final Pending STOP = new Pending(Bytes.EMPTY, null, new CompletableFuture<>());

  private final SegmentedLog log;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private Segment active;
  private FileChannel channel;
  private long position;
  private long nextIndex;
  private int sinceSparse;
  private ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
  private volatile Throwable failure;
  private volatile boolean closed;

  GroupWriter(SegmentedLog log, Segment active, long nextIndex) throws IOException {
    this.log = log;
    this.nextIndex = nextIndex;
    openActive(active);
    // Sampling restarts at the first new frame; an extra sparse point after a reopen is harmless.
    sinceSparse = SegmentScan.SPARSE_EVERY;
    thread = new Thread(this::run, "evidence-log-writer");
    thread.setDaemon(true);
    thread.start();
  }

  private void openActive(Segment seg) throws IOException {
    active = seg;
    channel = FileChannel.open(seg.path, StandardOpenOption.WRITE);
    position = seg.end;
  }

  CompletableFuture<Long> submit(Bytes payload, Object tag) {
    CompletableFuture<Long> f = new CompletableFuture<>();
    if (payload.length() < 1 || payload.length() > Frames.MAX_PAYLOAD) {
      f.completeExceptionally(
          new IllegalArgumentException(
              "record length "
                  + payload.length()
                  + " out of range [1, "
                  + Frames.MAX_PAYLOAD
                  + "]"));
      return f;
    }
    Throwable t = failure;
    if (t != null || closed) {
      f.completeExceptionally(
          new IllegalStateException("evidence log is " + (closed ? "closed" : "failed"), t));
      return f;
    }
    queue.add(new Pending(payload, tag, f));
    return f;
  }

  private void run() {
    List<Pending> group = new ArrayList<>();
    boolean stop = false;
    while (!stop) {
      try {
        group.add(queue.take());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      queue.drainTo(group, log.options.maxGroupRecords() - 1);
      int stopAt = group.indexOf(STOP);
      if (stopAt >= 0) {
        stop = true;
        group = new ArrayList<>(group.subList(0, stopAt));
      }
      if (!group.isEmpty()) {
        commit(group);
      }
      group.clear();
    }
    List<Pending> rest = new ArrayList<>();
    queue.drainTo(rest);
    for (Pending p : rest) {
      p.done().completeExceptionally(new IllegalStateException("evidence log is closed"));
    }
  }

  private void commit(List<Pending> group) {
    if (failure != null) {
      group.forEach(
          p ->
              p.done()
                  .completeExceptionally(
                      new IllegalStateException("evidence log failed", failure)));
      return;
    }
    long first = nextIndex;
    List<long[]> points = new ArrayList<>();
    try {
      buffer.clear();
      for (Pending p : group) {
        int frame = Frames.frameSize(p.payload().length());
        if (position + buffer.position() + frame > log.options.segmentBytes()
            && position + buffer.position() > Frames.HEADER_SIZE) {
          flushAndForce();
          publish(points);
          roll();
        }
        if (buffer.remaining() < frame) {
          flushNoForce();
        }
        if (sinceSparse >= SegmentScan.SPARSE_EVERY) {
          points.add(new long[] {nextIndex, position + buffer.position()});
          sinceSparse = 0;
        }
        sinceSparse++;
        Frames.putFrame(buffer, nextIndex, p.payload().toByteArray());
        nextIndex++;
      }
      flushAndForce();
      publish(points);
    } catch (IOException | RuntimeException e) {
      failure = e;
      group.forEach(p -> p.done().completeExceptionally(e));
      return;
    }
    try {
      log.committed(first, group, nextIndex);
    } catch (RuntimeException e) {
      failure = e;
      group.forEach(p -> p.done().completeExceptionally(e));
    }
  }

  private void flushNoForce() throws IOException {
    buffer.flip();
    while (buffer.hasRemaining()) {
      position += channel.write(buffer, position);
    }
    buffer.clear();
  }

  private void flushAndForce() throws IOException {
    flushNoForce();
    channel.force(false);
  }

  /** Makes the new frames' sparse points and end visible to readers (only after force). */
  private void publish(List<long[]> points) {
    log.lock.writeLock().lock();
    try {
      active.sparse.addAll(points);
      active.end = position;
    } finally {
      log.lock.writeLock().unlock();
    }
    points.clear();
  }

  private void roll() throws IOException {
    channel.close();
    Segment next = log.newSegment(nextIndex);
    openActive(next);
    sinceSparse = SegmentScan.SPARSE_EVERY;
  }

  void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    queue.add(STOP);
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while closing the evidence log", e);
    }
    channel.close();
  }
}
