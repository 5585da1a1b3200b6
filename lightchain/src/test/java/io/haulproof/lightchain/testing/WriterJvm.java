package io.haulproof.lightchain.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A writer in its own JVM, for kill and power-cut tests: {@code java} with this JVM's class path
 * running a main class, stopped by PID. Its stdout carries its readiness and acknowledgement lines
 * (e.g. the highest durable seq after each commit), followed as {@link ProcessLines}, so waiting on
 * them is event-based; stdout is copied to {@code NAME.out} and stderr goes to {@code NAME.err} in
 * the log dir, for failure messages.
 */
public final class WriterJvm implements AutoCloseable {
  private static final Duration EXIT = Duration.ofSeconds(60);
  private static final int TAIL_LINES = 20;

  private final String name;
  private final Process process;
  private final Path err;
  private final ProcessLines out;

  private WriterJvm(String name, Process process, Path logDir) {
    this.name = name;
    this.process = process;
    this.err = logDir.resolve(name + ".err");
    this.out =
        ProcessLines.follow(
            name + " stdout", process.getInputStream(), logDir.resolve(name + ".out"), this::state);
  }

  /**
   * Starts {@code main} with {@code args} in a child JVM with {@code jvmOptions} (e.g. {@code
   * -Xmx64m}) and this JVM's class path; its output goes to {@code logDir/NAME.out} and {@code
   * NAME.err}, so give every writer of a test its own name.
   */
  public static WriterJvm start(
      Path logDir, String name, List<String> jvmOptions, Class<?> main, List<String> args)
      throws IOException {
    List<String> javaArgs = new ArrayList<>(jvmOptions);
    javaArgs.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
    javaArgs.addAll(args);
    return start(logDir, name, javaArgs);
  }

  /**
   * Starts {@code java} with {@code javaArgs} (e.g. {@code -Xmx64m -jar app.jar run}), its output
   * in {@code logDir/NAME.out} and {@code NAME.err}.
   */
  public static WriterJvm start(Path logDir, String name, List<String> javaArgs)
      throws IOException {
    Files.createDirectories(logDir);
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(javaArgs);
    Process p =
        new ProcessBuilder(cmd).redirectError(logDir.resolve(name + ".err").toFile()).start();
    return new WriterJvm(name, p, logDir);
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The whole stdout lines so far, oldest first (after {@link #kill()}: all it wrote). */
  public List<String> lines() {
    return out.lines();
  }

  /**
   * Waits until {@code done} holds on the whole stdout lines so far and returns them; fails with
   * the writer's output if it died first or after {@code timeout} (a hang guard).
   */
  public List<String> awaitLines(Predicate<List<String>> done, Duration timeout, String what)
      throws InterruptedException {
    return out.await(done, timeout, what);
  }

  /**
   * The highest acknowledgement so far: the largest whole stdout line that is a decimal number, 0
   * if there is none (other lines are not acknowledgements and are passed over).
   */
  public long maxAck() {
    return maxAck(lines());
  }

  /** Waits until the writer acknowledged more than {@code seen}; returns its highest ack. */
  public long awaitAckAbove(long seen, Duration timeout) throws InterruptedException {
    return maxAck(awaitLines(l -> maxAck(l) > seen, timeout, "acknowledgement above " + seen));
  }

  /**
   * {@code kill -9} by PID, as a power cut would stop it; returns once it exited and its stdout was
   * read to the end, so {@link #lines()} then holds every line it wrote. Does nothing more once it
   * exited.
   */
  public void kill() throws InterruptedException {
    // through the handle: Process.destroyForcibly would also close our end of its stdout, and the
    // lines still in the pipe would be lost
    process.toHandle().destroyForcibly();
    if (!process.waitFor(EXIT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " (pid " + pid() + ") still runs " + EXIT + " after SIGKILL");
    }
    if (!out.awaitEnd(EXIT)) {
      throw new AssertionError(name + ": stdout still open " + EXIT + " after its exit");
    }
  }

  /**
   * SIGTERM by PID, for an orderly stop; returns the exit code once it exited and its stdout was
   * read to the end. Fails (after a {@code kill -9}) if it still runs after {@code timeout}.
   */
  public int terminate(Duration timeout) throws InterruptedException {
    process.toHandle().destroy(); // not Process.destroy, which would close our end of its stdout
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      kill();
      throw new AssertionError(
          name + " did not stop within " + timeout + " of SIGTERM: " + describe());
    }
    if (!out.awaitEnd(EXIT)) {
      throw new AssertionError(name + ": stdout still open " + EXIT + " after its exit");
    }
    return process.exitValue();
  }

  /** All it wrote to stderr so far. */
  public String stderr() {
    try {
      return Files.readString(err, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + err + ": " + e + ")";
    }
  }

  @Override
  public void close() throws IOException {
    try {
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while killing " + name, e);
    }
  }

  /** Name, PID, state, the last lines of stdout and of stderr, for failure messages. */
  public String describe() {
    return out.describe();
  }

  private String state() {
    return name
        + " (pid "
        + pid()
        + (process.isAlive() ? ", running" : ", exit " + process.exitValue())
        + "), stderr ("
        + err
        + "):\n"
        + tail(err);
  }

  private static long maxAck(List<String> lines) {
    long max = 0;
    for (String l : lines) {
      if (!l.isEmpty() && l.length() <= 18 && l.chars().allMatch(c -> c >= '0' && c <= '9')) {
        max = Math.max(max, Long.parseLong(l));
      }
    }
    return max;
  }

  private static String tail(Path f) {
    try {
      List<String> all = Files.readAllLines(f, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - TAIL_LINES), all.size()));
    } catch (IOException e) {
      return "(" + e + ")";
    }
  }
}
