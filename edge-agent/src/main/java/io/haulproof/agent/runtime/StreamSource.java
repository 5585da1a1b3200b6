package io.haulproof.agent.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * A sensor source that reads a {@link Transport}'s bytes and hands them to a protocol decoder. It
 * polls {@code available()} so that time-driven work (closing debounce bursts, weighing timeouts,
 * polling an indicator) runs even while the device is silent.
 *
 * <p>Runs on its own worker thread; not thread-safe apart from {@link #close()}.
 */
public abstract class StreamSource implements SensorSource {
  private static final long IDLE_SLEEP_MS = 20;

  private final String name;
  private final Transport transport;
  private volatile Transport.Link link;
  private volatile boolean closed;

  protected StreamSource(String name, Transport transport) {
    this.name = Objects.requireNonNull(name, "name");
    this.transport = Objects.requireNonNull(transport, "transport");
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final void open() throws IOException {
    closed = false;
    link = transport.open();
  }

  @Override
  public final void run(SensorSink sink) throws Exception {
    Transport.Link l = link;
    if (l == null) {
      throw new IllegalStateException("sensor " + name + " is not open");
    }
    InputStream in = l.in();
    byte[] buf = new byte[512];
    try {
      while (!closed) {
        int avail = in.available();
        if (avail > 0) {
          int n = in.read(buf, 0, Math.min(buf.length, avail));
          if (n < 0) {
            break;
          }
          feed(buf, n, sink);
        } else if (avail < 0 || endOfInput(in)) {
          break;
        } else {
          idle(sink, l);
          Thread.sleep(IDLE_SLEEP_MS);
        }
      }
    } catch (IOException e) {
      if (!closed) {
        throw new IOException(transport.describe() + ": " + e.getMessage(), e);
      }
    } finally {
      finish(sink);
    }
  }

  /** Whether the input has ended; streams that cannot tell return false. */
  protected boolean endOfInput(InputStream in) {
    return in instanceof EndAware e && e.ended();
  }

  /** Decodes {@code n} bytes from {@code buf}. */
  protected abstract void feed(byte[] buf, int n, SensorSink sink) throws IOException;

  /** Time-driven work while no bytes arrive; may write to the device. */
  protected void idle(SensorSink sink, Transport.Link link) throws IOException {}

  /** At the end of input or on close: emit whatever is still pending. */
  protected void finish(SensorSink sink) {}

  @Override
  public LinkStatus link() {
    Transport.Link l = link;
    return l == null
        ? new LinkStatus(LinkStatus.State.DOWN, transport.describe() + " not open", 0)
        : l.status().get();
  }

  @Override
  public final void close() {
    closed = true;
    Transport.Link l = link;
    if (l != null) {
      try {
        l.close();
      } catch (IOException e) {
        // Closing a link that already failed; the read loop reports the original failure.
        org.slf4j.LoggerFactory.getLogger(StreamSource.class)
            .debug("closing {}: {}", name, e.toString());
      }
    }
  }

  /**
   * An input stream that can tell that no more bytes will ever come (an in-memory pipe whose writer
   * finished).
   */
  public interface EndAware {
    boolean ended();
  }
}
