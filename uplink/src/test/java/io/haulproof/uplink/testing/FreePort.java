package io.haulproof.uplink.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Finds free loopback TCP ports and waits for a port to accept connections. */
public final class FreePort {
  private FreePort() {}

  /** A TCP port on the loopback interface that was free a moment ago. */
  public static int tcp() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A UDP port on the loopback interface that was free a moment ago. */
  public static int udp() {
    try (java.net.DatagramSocket s =
        new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** True if a TCP connection to {@code 127.0.0.1:port} succeeds now. */
  public static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Waits until {@code 127.0.0.1:port} accepts or {@code timeout} passes; returns whether it
   * accepted.
   */
  public static boolean awaitAccepting(int port, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (accepts(port)) {
        return true;
      }
      Thread.sleep(50);
    }
    return false;
  }
}
