package io.haulproof.agent.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Mosquitto broker the demo starts for itself on a free loopback port (anonymous, loopback only,
 * no persistence), stopped by PID; for {@code demo --authenticators} without {@code --broker}.
 */
public final class LocalMosquitto implements AutoCloseable {
  private final Process process;
  private final int port;

  private LocalMosquitto(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /**
   * Starts {@code mosquitto} with its files in {@code dir}.
   *
   * @throws IOException if it is not installed or does not come up within 30 s
   */
  public static LocalMosquitto start(Path dir) throws IOException {
    Files.createDirectories(dir);
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path conf = dir.resolve("mosquitto.conf");
    Files.write(
        conf,
        List.of(
            "listener " + port + " 127.0.0.1",
            "allow_anonymous true",
            "persistence false",
            "set_tcp_nodelay true",
            "log_dest file " + dir.resolve("mosquitto.log")),
        StandardCharsets.UTF_8);
    Process p;
    try {
      p =
          new ProcessBuilder("mosquitto", "-c", conf.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("mosquitto.stdout").toFile())
              .start();
    } catch (IOException e) {
      throw new IOException("cannot start mosquitto (is it installed?): " + e.getMessage(), e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException(
            "mosquitto exited: " + Files.readString(dir.resolve("mosquitto.stdout")));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return new LocalMosquitto(p, port);
      } catch (IOException notYet) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          p.destroyForcibly();
          throw new IOException("interrupted", e);
        }
      }
    }
    p.destroyForcibly();
    throw new IOException("mosquitto did not accept on port " + port + " within 30 s");
  }

  public String url() {
    return "tcp://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
