package io.haulproof.drivers.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** A real pseudo-terminal pair made by {@code socat}, started in a temp dir and stopped by PID. */
public final class SocatPair implements AutoCloseable {
  private final Process process;
  public final Path a;
  public final Path b;

  public SocatPair(Path dir) throws IOException, InterruptedException {
    a = dir.resolve("ttyA");
    b = dir.resolve("ttyB");
    process =
        new ProcessBuilder(
                "socat", "-d", "-d", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("socat.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!(Files.exists(a) && Files.exists(b))) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        throw new IOException(
            "socat did not create "
                + a
                + " and "
                + b
                + ": "
                + Files.readString(dir.resolve("socat.log")));
      }
      Thread.sleep(20);
    }
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
