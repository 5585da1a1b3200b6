package io.haulproof.agent.systemd;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A test stand-in for systemd's notification socket: a bound AF_UNIX datagram socket that collects
 * messages.
 */
final class NotifySocket implements AutoCloseable {
  private final LibC libc = LibC.load();
  private final int fd;
  private final Path path;

  NotifySocket(Path path) {
    this.path = path;
    this.fd = libc.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
    byte[] addr = LibC.sockaddrUn(path.toString());
    libc.bind(fd, addr, addr.length);
  }

  Path path() {
    return path;
  }

  /** The next datagram, waiting up to {@code timeout}; empty if none came. */
  Optional<String> receive(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    byte[] buf = new byte[4096];
    while (true) {
      try {
        long n = libc.recv(fd, buf, new NativeLong(buf.length), LibC.MSG_DONTWAIT).longValue();
        return Optional.of(new String(buf, 0, (int) n, StandardCharsets.UTF_8));
      } catch (LastErrorException e) {
        if (e.getErrorCode() != LibC.EAGAIN) {
          throw e;
        }
      }
      if (System.nanoTime() > deadline) {
        return Optional.empty();
      }
      Thread.sleep(10);
    }
  }

  /** Waits for a datagram equal to {@code want}, skipping others; fails after {@code timeout}. */
  String await(String want, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> got = receive(Duration.ofMillis(200));
      if (got.isPresent() && got.get().equals(want)) {
        return got.get();
      }
    }
    throw new AssertionError("no \"" + want + "\" on " + path + " within " + timeout);
  }

  /** Discards everything queued so far and returns how many datagrams were dropped. */
  int drain() throws InterruptedException {
    int n = 0;
    while (receive(Duration.ZERO).isPresent()) {
      n++;
    }
    return n;
  }

  @Override
  public void close() {
    libc.close(fd);
  }
}
