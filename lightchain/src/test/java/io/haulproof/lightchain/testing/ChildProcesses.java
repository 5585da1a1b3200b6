package io.haulproof.lightchain.testing;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;

/**
 * The child processes and process fixtures a test started, stopped by PID (last started first) on
 * {@link #close()}, typically from {@code @AfterEach}.
 */
public final class ChildProcesses implements AutoCloseable {
  private final Duration grace;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();

  /** {@code grace}: how long each process gets after SIGTERM before it is killed. */
  public ChildProcesses(Duration grace) {
    if (grace.isNegative() || grace.isZero()) {
      throw new IllegalArgumentException("grace must be positive, was " + grace);
    }
    this.grace = grace;
  }

  /** Registers {@code process} to be stopped at close; returns it. */
  public Process add(Process process) {
    started.push(() -> stop(process));
    return process;
  }

  /** Registers a process fixture (e.g. {@link SocatPtyPair}) to be closed at close; returns it. */
  public <T extends AutoCloseable> T add(T fixture) {
    started.push(fixture);
    return fixture;
  }

  /** Stops everything registered, last first; the first failure is thrown after all were tried. */
  @Override
  public void close() throws Exception {
    Exception first = null;
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private void stop(Process process) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
    }
  }
}
