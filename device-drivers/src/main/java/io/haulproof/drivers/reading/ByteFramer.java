package io.haulproof.drivers.reading;

import java.util.Arrays;
import java.util.Objects;

/**
 * Shared resynchronising framer for binary and ASCII device protocols: bytes in, whole validated
 * frames out.
 *
 * <p>Subclasses say where a frame may start, how long it is (from its length field where the
 * protocol has one, since start and end marks can occur inside payloads), and whether it is valid.
 * A candidate that fails validation costs one byte: the scan restarts at the next byte, so a frame
 * hidden behind garbage is still found. The buffer never holds more than {@link #maxFrame()} bytes.
 * Every skipped byte and every rejected candidate is counted.
 */
public abstract class ByteFramer {
  /** Result of {@link #frameLength}: more bytes are needed to tell. */
  protected static final int NEED_MORE = -1;

  /** Result of {@link #frameLength}: the byte at {@code start} cannot begin a frame. */
  protected static final int NOT_A_FRAME = 0;

  private final byte[] buf;
  private int len;
  private java.util.function.Consumer<byte[]> rawListener = f -> {};
  protected final DriverMetrics metrics;

  protected ByteFramer(int maxFrame, DriverMetrics metrics) {
    this.buf = new byte[maxFrame];
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** The largest frame this protocol allows; also the buffer bound. */
  public final int maxFrame() {
    return buf.length;
  }

  /** Feeds bytes as they arrive, in any split. */
  public final void feed(byte[] data, int off, int n) {
    Objects.checkFromIndexSize(off, n, data.length);
    for (int i = off; i < off + n; ) {
      int take = Math.min(buf.length - len, off + n - i);
      System.arraycopy(data, i, buf, len, take);
      len += take;
      i += take;
      drain();
    }
  }

  public final void feed(byte[] data) {
    feed(data, 0, data.length);
  }

  /**
   * Tells the framer the line has gone quiet: a partial candidate at the head of the buffer will
   * not be completed (e.g. a stray start byte whose "length" would swallow the following frames),
   * so it is dropped as {@code timeout} and the bytes after it are scanned again. Transports call
   * this after an inter-frame gap.
   */
  public final void idle() {
    while (len > 0) {
      metrics.rejected("timeout");
      metrics.skipped(1);
      System.arraycopy(buf, 1, buf, 0, len - 1);
      len--;
      drain();
    }
  }

  private void drain() {
    int start = 0;
    while (start < len) {
      int n;
      try {
        n = frameLength(buf, start, len - start);
      } catch (MalformedFrameException e) {
        metrics.rejected(e.reason());
        metrics.skipped(1);
        start++;
        continue;
      }
      if (n == NOT_A_FRAME) {
        metrics.skipped(1);
        start++;
        continue;
      }
      if (n == NEED_MORE) {
        if (len - start
            >= buf.length) { // cannot happen for a correct frameLength; guard the bound anyway
          metrics.rejected("length");
          metrics.skipped(1);
          start++;
          continue;
        }
        break;
      }
      if (n > buf.length) {
        metrics.rejected("length");
        metrics.skipped(1);
        start++;
        continue;
      }
      if (n > len - start) {
        break;
      }
      byte[] frame = Arrays.copyOfRange(buf, start, start + n);
      try {
        onFrame(frame);
        metrics.accepted();
        rawListener.accept(frame.clone());
        start += n;
      } catch (MalformedFrameException e) {
        metrics.rejected(e.reason());
        int skip = consumeRejectedFrames() ? n : 1;
        metrics.skipped(skip);
        start += skip;
      }
    }
    System.arraycopy(buf, start, buf, 0, len - start);
    len -= start;
  }

  /**
   * The length of the frame starting at {@code buf[start]}, {@link #NEED_MORE} or {@link
   * #NOT_A_FRAME}; may throw {@link MalformedFrameException} for a start whose header is impossible
   * (counted, one byte skipped).
   */
  protected abstract int frameLength(byte[] buf, int start, int available);

  /**
   * Validates and decodes one complete candidate frame; throws {@link MalformedFrameException} to
   * reject it.
   */
  protected abstract void onFrame(byte[] frame);

  /**
   * Whether a rejected frame is consumed whole (line protocols, where the terminator is
   * unambiguous) rather than by one byte (binary protocols, where a real frame may start inside a
   * bad candidate).
   */
  protected boolean consumeRejectedFrames() {
    return false;
  }

  /**
   * Receives the raw bytes of every accepted frame, exactly as received (e.g. to keep them as
   * evidence next to the decoded reading, or to check in tests that nothing was assembled from
   * bytes that were not contiguous).
   */
  public final void onAccepted(java.util.function.Consumer<byte[]> listener) {
    this.rawListener = Objects.requireNonNull(listener, "listener");
  }

  /** Bytes currently buffered (for tests of the bound). */
  public final int buffered() {
    return len;
  }
}
