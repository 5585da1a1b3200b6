package io.haulproof.uplink.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy for fault tests. In {@link Mode#FORWARD} it relays to the target; in {@link
 * Mode#STALL} it accepts connections and reads what the client sends but never answers (a network
 * that stalls before CONNACK). {@link #cutAll()} drops every open connection. {@link
 * #holdUpstream(boolean)} keeps what clients send from the target, losing nothing, while the
 * target's traffic still reaches them (a broker that reads a client late).
 */
public final class TcpProxy implements AutoCloseable {
  /** What the proxy does with new connections. */
  public enum Mode {
    FORWARD,
    STALL
  }

  private final ServerSocket server;
  private final int targetPort;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong upBytes =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong downBytes =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile Mode mode;
  private volatile boolean closed;
  private volatile boolean frozen;
  private final Object holdLock = new Object();
  private boolean held;

  public TcpProxy(int targetPort, Mode mode) {
    this.targetPort = targetPort;
    this.mode = mode;
    try {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread t = new Thread(this::acceptLoop, "tcp-proxy-" + server.getLocalPort());
    t.setDaemon(true);
    t.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  public String url() {
    return "tcp://127.0.0.1:" + port();
  }

  /**
   * Changes the mode for new connections; existing stalled ones stay stalled until {@link
   * #cutAll()}.
   */
  public void mode(Mode m) {
    this.mode = m;
  }

  /**
   * While frozen, open relayed connections silently drop everything (a network that stalls
   * mid-session).
   */
  public void freeze(boolean on) {
    this.frozen = on;
  }

  /**
   * While held, what clients send is kept back (in order, nothing lost) and relayed once released;
   * the target's traffic to the clients still flows.
   */
  public void holdUpstream(boolean on) {
    synchronized (holdLock) {
      held = on;
      holdLock.notifyAll();
    }
  }

  private void awaitUpstreamReleased() throws java.io.InterruptedIOException {
    synchronized (holdLock) {
      while (held && !closed) {
        try {
          holdLock.wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("proxy closed while held");
        }
      }
    }
  }

  /** Bytes relayed from clients to the target so far (TCP payload, no IP/TCP headers). */
  public long upBytes() {
    return upBytes.get();
  }

  /** Bytes relayed from the target to clients so far. */
  public long downBytes() {
    return downBytes.get();
  }

  /** How many connections were accepted so far. */
  public int accepted() {
    return accepted.get();
  }

  /** Closes every open connection (both directions). */
  public void cutAll() {
    for (Socket s : open) {
      closeQuietly(s);
    }
    open.clear();
  }

  @Override
  public void close() {
    closed = true;
    holdUpstream(false);
    closeQuietly(server);
    cutAll();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        accepted.incrementAndGet();
        open.add(client);
        if (mode == Mode.STALL) {
          pump(
              client.getInputStream(),
              OutputStream.nullOutputStream(),
              client,
              null,
              new java.util.concurrent.atomic.AtomicLong(),
              false);
        } else {
          Socket upstream = new Socket();
          upstream.connect(
              new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5000);
          open.add(upstream);
          pump(
              client.getInputStream(), upstream.getOutputStream(), client, upstream, upBytes, true);
          pump(
              upstream.getInputStream(),
              client.getOutputStream(),
              upstream,
              client,
              downBytes,
              false);
        }
      } catch (IOException e) {
        if (!closed) {
          // A failed upstream connect: the client socket is left to time out like a dead network
          // would.
          continue;
        }
        return;
      }
    }
  }

  private void pump(
      InputStream in,
      OutputStream out,
      Socket from,
      Socket to,
      java.util.concurrent.atomic.AtomicLong counter,
      boolean upstream) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[16384];
              try {
                int n;
                while ((n = in.read(buf)) >= 0) {
                  if (frozen) {
                    continue;
                  }
                  if (upstream) {
                    awaitUpstreamReleased();
                  }
                  out.write(buf, 0, n);
                  out.flush();
                  counter.addAndGet(n);
                }
              } catch (IOException e) {
                // The other side or cutAll() closed the socket; the relay ends here.
              } finally {
                closeQuietly(from);
                if (to != null) {
                  closeQuietly(to);
                }
              }
            },
            "tcp-proxy-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // Closing a socket that is already broken; nothing more to release.
    }
  }
}
