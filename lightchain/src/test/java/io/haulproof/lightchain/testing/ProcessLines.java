package io.haulproof.lightchain.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The lines a child process writes on one of its streams (stdout or stderr), taken as they come by
 * a reader thread that wakes every waiter at each whole line and at the end of the stream (the
 * process exited or was killed): waiting on a line (a readiness line, an acknowledgement, a log
 * line) is event-based and polls nothing. A last line without its newline (cut by a kill) never
 * counts. Every byte is also copied to a file, for failure messages.
 */
public final class ProcessLines {
  private static final int TAIL_LINES = 20;

  private final String name;
  private final Path copy;
  private final Supplier<String> context;
  private final Thread reader;
  private final List<String> lines = new ArrayList<>(); // guarded by this
  private boolean ended; // guarded by this
  private IOException readError; // guarded by this

  private ProcessLines(String name, Path copy, Supplier<String> context, InputStream in) {
    this.name = name;
    this.copy = copy;
    this.context = context;
    this.reader = new Thread(() -> read(in), name);
    this.reader.setDaemon(true);
  }

  /**
   * Follows {@code in} (e.g. {@code process.getInputStream()}) from now on, copying it to {@code
   * copy}; {@code context} adds to failure messages (e.g. the process's state and stderr).
   */
  public static ProcessLines follow(
      String name, InputStream in, Path copy, Supplier<String> context) {
    ProcessLines p = new ProcessLines(name, copy, context, in);
    p.reader.start();
    return p;
  }

  /** As above, with no context but the lines themselves. */
  public static ProcessLines follow(String name, InputStream in, Path copy) {
    return follow(name, in, copy, () -> "");
  }

  /** The whole lines so far, oldest first. */
  public synchronized List<String> lines() {
    return List.copyOf(lines);
  }

  /**
   * Waits until {@code done} holds on the whole lines so far (asked again at each new line) and
   * returns them. Fails with the last lines and the context when the stream ends first (the process
   * died) or after {@code timeout}, a hang guard, not a timing assertion.
   */
  public List<String> await(Predicate<List<String>> done, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (this) {
      while (!done.test(Collections.unmodifiableList(lines))) {
        if (ended) {
          throw new AssertionError(name + " ended before " + what + ": " + describe());
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              name + ": no " + what + " within " + timeout + ": " + describe());
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      return List.copyOf(lines);
    }
  }

  /** Waits until a whole line contains {@code text}; returns that line. */
  public String awaitLineContaining(String text, Duration timeout) throws InterruptedException {
    return await(l -> l.stream().anyMatch(s -> s.contains(text)), timeout, "line with " + text)
        .stream()
        .filter(s -> s.contains(text))
        .findFirst()
        .orElseThrow();
  }

  /**
   * Waits until the stream ended (the process closed it, normally by exiting), so that {@link
   * #lines()} holds every line; false if it is still open after {@code timeout}.
   */
  public boolean awaitEnd(Duration timeout) throws InterruptedException {
    reader.join(timeout.toMillis());
    return !reader.isAlive();
  }

  /** The last lines, where they are copied, and the context, for failure messages. */
  public synchronized String describe() {
    return (readError == null ? "" : "(reading failed: " + readError + ") ")
        + context.get()
        + "\n"
        + name
        + " ("
        + copy
        + "), last lines:\n"
        + String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
  }

  private void read(InputStream in) {
    try (in;
        OutputStream out = Files.newOutputStream(copy)) {
      byte[] buf = new byte[8192];
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        out.write(buf, 0, n);
        List<String> whole = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            whole.add(line.toString(StandardCharsets.UTF_8));
            line.reset();
          } else {
            line.write(buf[i]);
          }
        }
        if (!whole.isEmpty()) {
          synchronized (this) {
            lines.addAll(whole);
            notifyAll();
          }
        }
      }
    } catch (IOException e) {
      synchronized (this) {
        readError = e;
      }
    } finally {
      synchronized (this) {
        ended = true;
        notifyAll();
      }
    }
  }
}
