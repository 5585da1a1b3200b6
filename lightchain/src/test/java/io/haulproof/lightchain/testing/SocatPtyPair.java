package io.haulproof.lightchain.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real pseudo-terminal pair made by {@code socat -d -d pty,raw,echo=0,link=A
 * pty,raw,echo=0,link=B}, started in a temp dir and stopped by PID on {@link #close()}.
 *
 * <p>It lives in the lightchain test-jar because both device-drivers and edge-agent tests need it
 * and both already depend on that jar (device-drivers cannot depend on uplink).
 */
public final class SocatPtyPair implements AutoCloseable {
  private static final long LINK_WAIT_SECONDS = 30;
  private static final long STOP_WAIT_SECONDS = 10;

  private final Process process;
  private final Path a;
  private final Path b;

  private SocatPtyPair(Process process, Path a, Path b) {
    this.process = process;
    this.a = a;
    this.b = b;
  }

  /**
   * Starts socat linking {@code a} and {@code b}, logging to {@code log}, and waits up to 30 s for
   * both links to appear.
   *
   * @throws IOException if socat exits or the links do not appear in time (with socat's log)
   */
  public static SocatPtyPair start(Path a, Path b, Path log)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(
                "socat", "-d", "-d", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    SocatPtyPair pair = new SocatPtyPair(process, a, b);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(LINK_WAIT_SECONDS);
    while (!(Files.exists(a) && Files.exists(b))) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        pair.close();
        throw new IOException(
            "socat did not create " + a + " and " + b + ": " + Files.readString(log));
      }
      Thread.sleep(20);
    }
    return pair;
  }

  /** Starts a pair {@code ttyA}/{@code ttyB} in {@code dir}, logging to {@code socat.log}. */
  public static SocatPtyPair inDir(Path dir) throws IOException, InterruptedException {
    return start(dir.resolve("ttyA"), dir.resolve("ttyB"), dir.resolve("socat.log"));
  }

  /**
   * Starts a pair named after {@code name} in {@code dir}: {@code name} (for the code under test),
   * {@code name-peer} (for the test) and the log {@code name.socat.log}.
   */
  public static SocatPtyPair named(Path dir, String name) throws IOException, InterruptedException {
    return start(dir.resolve(name), dir.resolve(name + "-peer"), dir.resolve(name + ".socat.log"));
  }

  /** The first link (the one handed to the code under test by convention). */
  public Path a() {
    return a;
  }

  /** The second link (the peer the test writes to or reads from). */
  public Path b() {
    return b;
  }

  public long pid() {
    return process.pid();
  }

  /** Stops socat by PID: SIGTERM, then SIGKILL if it has not exited after 10 s. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
