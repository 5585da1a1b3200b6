package io.haulproof.lightchain.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The power-cut test rig: a {@link LazyFsMount}, the writer JVMs that write on it ({@link
 * WriterJvm}), and the cut itself. Two kinds of cut:
 *
 * <ul>
 *   <li>{@link #cut()} at a moment the test chooses (an acknowledgement, a seeded random delay):
 *       every writer gets {@code kill -9}, then LazyFS drops every unsynced byte;
 *   <li>{@link #arm(String)} a LazyFS crash fault at a named operation, then {@link #crash()}: once
 *       LazyFS dropped every unsynced byte and died there, every writer gets {@code kill -9} and
 *       LazyFS is mounted again over the same backing directory.
 * </ul>
 *
 * <p>A test keeps only what it tests: its writer's main class and arguments, its cut points and its
 * assertions on what survived. {@link #close()} (from {@code @AfterEach}) kills what still runs by
 * PID and unmounts. Needs root and {@code /dev/fuse}, as {@link LazyFsMount} says.
 */
public final class PowerCutRig implements AutoCloseable {
  /** The JVM options of a writer unless the test gives its own. */
  public static final List<String> WRITER_JVM = List.of("-Xmx64m");

  private static final Duration CRASH = Duration.ofSeconds(90);
  private static final Duration EXIT = Duration.ofSeconds(60);

  private final Path work;
  private final int cacheMegabytes;
  private final List<WriterJvm> writers = new ArrayList<>();
  private final List<Long> othersOnMount = new ArrayList<>();
  private LazyFsMount mount;

  private PowerCutRig(Path work, int cacheMegabytes, LazyFsMount mount) {
    this.work = work;
    this.cacheMegabytes = cacheMegabytes;
    this.mount = mount;
  }

  /**
   * Mounts LazyFS in {@code work/lazyfs} with a cache of {@code cacheMegabytes} (size it for all
   * that the test writes between two cuts: a full cache writes through); writers' output goes to
   * {@code work/writers}.
   */
  public static PowerCutRig mount(Path work, int cacheMegabytes) throws IOException {
    return new PowerCutRig(
        work, cacheMegabytes, LazyFsMount.mount(work.resolve("lazyfs"), cacheMegabytes));
  }

  /** The LazyFS crash fault at a rename to a path matching {@code toRegex}, "before" or "after". */
  public static String crashAtRename(String timing, String toRegex) {
    // LazyFS checks only to_rgx for renames; from_rgx must be given and not match "none"
    return "lazyfs::crash::timing=" + timing + "::op=rename::from_rgx=tmp::to_rgx=" + toRegex;
  }

  /**
   * The LazyFS crash fault at operation {@code op} ({@code write}, {@code fsync}, {@code create},
   * …) on a path matching {@code pathRegex}, "before" or "after" it.
   */
  public static String crashAt(String timing, String op, String pathRegex) {
    return "lazyfs::crash::timing=" + timing + "::op=" + op + "::from_rgx=" + pathRegex;
  }

  /** The mount point: writers write here. */
  public Path dir() {
    return mount.dir();
  }

  /** The backing directory: what survived (synced data plus all metadata). */
  public Path backing() {
    return mount.backing();
  }

  /** The LazyFS log, for failure messages. */
  public String lazyFsLog() {
    return mount.log();
  }

  /** Starts a writer JVM ({@link #WRITER_JVM}) running {@code main} with {@code args}. */
  public WriterJvm start(String name, Class<?> main, String... args) throws IOException {
    return start(name, WRITER_JVM, main, args);
  }

  /** Starts a writer JVM with its own JVM options; every writer of a test needs its own name. */
  public WriterJvm start(String name, List<String> jvmOptions, Class<?> main, String... args)
      throws IOException {
    WriterJvm w =
        WriterJvm.start(work.resolve("writers"), name, jvmOptions, main, Arrays.asList(args));
    writers.add(w);
    return w;
  }

  /**
   * Starts a writer JVM with {@code javaArgs}, everything after {@code java} (e.g. {@code -Xmx64m
   * -jar app.jar run --config FILE}).
   */
  public WriterJvm startJava(String name, List<String> javaArgs) throws IOException {
    WriterJvm w = WriterJvm.start(work.resolve("writers"), name, javaArgs);
    writers.add(w);
    return w;
  }

  /**
   * A process started elsewhere (e.g. by its own fixture) that writes on the mount: it gets {@code
   * kill -9} with the writers at the next cut or crash.
   */
  public void killAtCut(long pid) {
    othersOnMount.add(pid);
  }

  /**
   * The power cut, now: every writer gets {@code kill -9} (their stdout read to the end), then
   * LazyFS drops every byte no one fsynced. The mount stays up; start the next writers on it.
   */
  public void cut() throws IOException, InterruptedException {
    killAll();
    mount.cut();
  }

  /**
   * Arms a LazyFS crash fault ({@link #crashAt}, {@link #crashAtRename}): at the first matching
   * operation LazyFS drops every unsynced byte and dies. Returns once LazyFS took the fault.
   */
  public void arm(String fault) throws IOException {
    mount.inject(fault);
  }

  /**
   * Waits until the armed fault fired (LazyFS dropped what was unsynced and died), then every
   * writer gets {@code kill -9} and LazyFS is mounted again over the same backing directory. Fails
   * with LazyFS's log and the writers' output if the fault did not fire.
   */
  public void crash() throws IOException, InterruptedException {
    if (!mount.awaitCrash(CRASH) || !mount.log().contains("Triggered fault condition")) {
      throw new AssertionError(
          "the armed fault did not fire within "
              + CRASH
              + "; LazyFS log:\n"
              + mount.log()
              + "\n"
              + describeWriters());
    }
    killAll();
    mount.close();
    mount = LazyFsMount.mount(work.resolve("lazyfs"), cacheMegabytes);
  }

  /** Kills by PID whatever still runs, then unmounts. */
  @Override
  public void close() throws IOException {
    try {
      killAll();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while killing the writers", e);
    } finally {
      mount.close();
    }
  }

  private void killAll() throws InterruptedException {
    for (WriterJvm w : writers) {
      w.kill();
    }
    writers.clear();
    for (long pid : othersOnMount) {
      Optional<ProcessHandle> h = ProcessHandle.of(pid);
      if (h.isPresent()) {
        h.get().destroyForcibly();
        try {
          h.get().onExit().get(EXIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException
            | java.util.concurrent.TimeoutException e) {
          throw new AssertionError("pid " + pid + " did not exit after SIGKILL", e);
        }
      }
    }
    othersOnMount.clear();
  }

  private String describeWriters() {
    StringBuilder b = new StringBuilder();
    for (WriterJvm w : writers) {
      b.append(w.describe()).append('\n');
    }
    return b.toString();
  }
}
