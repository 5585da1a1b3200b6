package io.haulproof.drivers.gpsd;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A one-connection gpsd on a loopback port: it reads the client's command line, answers with a
 * VERSION report and the given lines, then holds the connection until the client closes it, so the
 * client reads everything it was sent.
 */
final class FakeGpsd implements AutoCloseable {
  private final ServerSocket server;
  private final Thread thread;
  private final AtomicReference<String> command = new AtomicReference<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  FakeGpsd(List<byte[]> lines) throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    thread = new Thread(() -> serve(lines), "fake-gpsd");
    thread.start();
  }

  InetSocketAddress address() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
  }

  /** The first line the client sent, without its newline; null before it came. */
  String command() {
    return command.get();
  }

  private void serve(List<byte[]> lines) {
    try (Socket s = server.accept()) {
      BufferedReader r =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      command.set(r.readLine());
      OutputStream out = s.getOutputStream();
      out.write("{\"class\":\"VERSION\",\"release\":\"3.25\"}\n".getBytes(StandardCharsets.UTF_8));
      for (byte[] l : lines) {
        out.write(l);
        out.write('\n');
      }
      out.flush();
      while (r.readLine() != null) {
        // the client sends nothing more after WATCH; anything it does send is ignored
      }
    } catch (IOException | RuntimeException e) {
      failure.set(e);
    }
  }

  /** Waits for the connection to end (close the client first); rethrows what the server hit. */
  @Override
  public void close() throws Exception {
    thread.join(10_000);
    server.close();
    Throwable f = failure.get();
    if (f != null) {
      throw new AssertionError("fake gpsd failed", f);
    }
  }
}
