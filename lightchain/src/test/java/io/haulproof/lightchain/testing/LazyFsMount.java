package io.haulproof.lightchain.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A LazyFS mount for power-cut tests (see {@code ../shared/tools/README-lazyfs.md}): a FUSE file
 * system that keeps written data in its own cache until the writer fsyncs, and drops every unsynced
 * byte on {@link #cut()}, as a power cut would. Renames, creates and unlinks reach the backing dir
 * at once, and a directory fsync is a no-op there, so a missing directory fsync is never caught.
 *
 * <p>LazyFS is built once per JVM from {@code shared/tools} beside the repository root (here and in
 * CI's clean clone), into {@code /tmp/lazyfs-build-<hash of the script's path>} (cached across
 * runs). A missing {@code shared/} or {@code /dev/fuse} fails the test, never skips it. Needs root
 * (as this machine and CI run).
 */
public final class LazyFsMount implements AutoCloseable {
  private static final Duration READY = Duration.ofSeconds(60);
  private static final Duration STOP = Duration.ofSeconds(30);
  private static Path binary;

  private final Path work;
  private final Path mountPoint;
  private final Path backing;
  private final Path fifo;
  private final Path log;
  private final Process process;
  private final ProcessLines output; // LazyFS's console log (stdout and stderr), as it comes
  private int cuts;

  private LazyFsMount(Path work, Path mountPoint, Path backing, Path fifo, Path log, Process p) {
    this.work = work;
    this.mountPoint = mountPoint;
    this.backing = backing;
    this.fifo = fifo;
    this.log = log;
    this.process = p;
    this.output =
        ProcessLines.follow("lazyfs " + mountPoint, p.getInputStream(), work.resolve("lazyfs.out"));
  }

  /**
   * Mounts a fresh LazyFS under {@code work} ({@code work/mnt} over {@code work/root}) with a cache
   * of {@code cacheMegabytes}; size it for everything the mount will write, since a full cache
   * writes through and nothing more could be lost.
   */
  public static LazyFsMount mount(Path work, int cacheMegabytes) throws IOException {
    Path lazyfs = binary();
    Path mnt = Files.createDirectories(work.resolve("mnt"));
    Path root = Files.createDirectories(work.resolve("root"));
    Path fifo = work.resolve("faults.fifo");
    Path log = work.resolve("lazyfs.log");
    Files.deleteIfExists(fifo);
    Files.deleteIfExists(log);
    Path cfg = work.resolve("lazyfs.toml");
    Files.writeString(
        cfg,
        "[faults]\nfifo_path=\""
            + fifo
            + "\"\n[cache]\napply_eviction=false\n[cache.simple]\ncustom_size=\""
            + cacheMegabytes
            + "mb\"\nblocks_per_page=1\n[filesystem]\nlog_all_operations=false\nlogfile=\""
            + log
            + "\"\n");
    Process p =
        new ProcessBuilder(
                lazyfs.toString(),
                mnt.toString(),
                "--config-path",
                cfg.toString(),
                "-o",
                "allow_other",
                "-o",
                "modules=subdir",
                "-o",
                "subdir=" + root,
                "-f")
            .redirectErrorStream(true)
            .start();
    LazyFsMount m = new LazyFsMount(work, mnt, root, fifo, log, p);
    try {
      m.awaitMounted();
    } catch (IOException | RuntimeException e) {
      m.close();
      throw e;
    }
    return m;
  }

  /** The mount point: write here. */
  public Path dir() {
    return mountPoint;
  }

  /** The backing directory: what survived (synced data plus all metadata). */
  public Path backing() {
    return backing;
  }

  /** The LazyFS process id. */
  public long pid() {
    return process.pid();
  }

  /**
   * The power cut: LazyFS drops every byte no one fsynced. Returns once LazyFS logged "cache is
   * cleared." for this request (waiting on its log line by line, see {@link ProcessLines}); fails
   * if LazyFS died first. Kill the writers first.
   */
  public void cut() throws IOException {
    int want = ++cuts;
    send("lazyfs::clear-cache");
    awaitOutput(
        l -> count(l, "cache is cleared.") >= want, "\"cache is cleared.\" (cut " + want + ")");
  }

  /**
   * Arms a fault through the fifo, e.g. {@code
   * lazyfs::crash::timing=before::op=rename::from_rgx=tmp::to_rgx=latest\\.note}: at the first
   * matching operation LazyFS drops every unsynced byte and kills itself (a power cut at that
   * point). Returns once LazyFS logged the fault as valid; an invalid one fails. For {@code rename}
   * LazyFS checks only {@code to_rgx} (give a dummy {@code from_rgx}); regexes match anywhere in
   * the path.
   */
  public void inject(String fault) throws IOException {
    List<String> before = output.lines();
    int valid = count(before, "received: VALID");
    int invalid = count(before, "INVALID");
    send(fault);
    List<String> now =
        awaitOutput(
            l -> count(l, "received: VALID") > valid || count(l, "INVALID") > invalid,
            "LazyFS taking the fault " + fault);
    if (count(now, "INVALID") > invalid) {
      throw new IOException("LazyFS refused the fault " + fault + ": " + output.describe());
    }
  }

  /** Writes one command to LazyFS's fault fifo. */
  private void send(String command) throws IOException {
    try (OutputStream out = Files.newOutputStream(fifo)) {
      out.write((command + "\n").getBytes(StandardCharsets.US_ASCII));
    }
  }

  private List<String> awaitOutput(Predicate<List<String>> done, String what) throws IOException {
    try {
      return output.await(done, READY, what);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for " + what, e);
    }
  }

  /**
   * Waits until LazyFS killed itself on an injected fault; false if it is still running at the
   * deadline.
   */
  public boolean awaitCrash(Duration timeout) throws IOException {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for LazyFS to crash", e);
    }
  }

  /** The LazyFS log, for failure messages. */
  public String log() {
    return readQuietly(log);
  }

  /**
   * Unmounts ({@code fusermount3 -u}) and waits for the LazyFS process to exit (by PID). While this
   * JVM still maps a file of the mount (a segment mapped by a closed log stays mapped until its
   * buffer is collected), the unmount is busy: it asks for a GC and retries until a deadline.
   */
  @Override
  public void close() throws IOException {
    try {
      long deadline = System.nanoTime() + STOP.toNanos();
      String error = unmount();
      while (error != null && error.contains("busy") && System.nanoTime() < deadline) {
        System.gc();
        pause();
        error = unmount();
      }
      if (error != null) {
        throw new IOException(
            "fusermount3 -u "
                + mountPoint
                + " failed: "
                + error
                + "; this JVM still maps: "
                + mappedHere());
      }
      // It aborts on exit ("terminate called without an active exception"): harmless, see README.
      if (!process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        process.waitFor(STOP.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted while unmounting " + mountPoint, e);
    }
  }

  /** Null when unmounted (or not mounted), else fusermount3's message. */
  private String unmount() throws IOException, InterruptedException {
    if (!isMounted()) {
      return null;
    }
    Process u =
        new ProcessBuilder("fusermount3", "-u", mountPoint.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(u.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return u.waitFor() == 0 ? null : out.strip();
  }

  private List<String> mappedHere() throws IOException {
    String prefix = mountPoint.toAbsolutePath().toString();
    return Files.readAllLines(Path.of("/proc/self/maps")).stream()
        .filter(l -> l.contains(prefix))
        .toList();
  }

  private void awaitMounted() throws IOException {
    long deadline = System.nanoTime() + READY.toNanos();
    while (!isMounted()) {
      if (!process.isAlive()) {
        throw new IOException(
            "LazyFS exited with "
                + process.exitValue()
                + " before mounting "
                + mountPoint
                + ": "
                + output.describe());
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("LazyFS did not mount " + mountPoint + " within " + READY);
      }
      pause();
    }
  }

  private boolean isMounted() throws IOException {
    String want = " " + mountPoint.toAbsolutePath() + " ";
    for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
      if (line.contains(want) && line.contains("fuse.lazyfs")) {
        return true;
      }
    }
    return false;
  }

  /** Builds LazyFS once per JVM with {@code shared/tools/lazyfs-build.sh}; returns the binary. */
  private static synchronized Path binary() throws IOException {
    if (binary != null) {
      return binary;
    }
    if (!Files.exists(Path.of("/dev/fuse"))) {
      throw new IOException("/dev/fuse is missing: LazyFS power-cut tests need FUSE (and root)");
    }
    Path script = SharedDir.locate().resolve("tools/lazyfs-build.sh");
    if (!Files.isRegularFile(script)) {
      throw new IOException("LazyFS build script not found: " + script);
    }
    Path out = buildDir(script);
    Path errors = Files.createTempFile("lazyfs-build", ".log");
    try {
      Process p =
          new ProcessBuilder("bash", script.toString(), out.toString())
              .redirectError(errors.toFile())
              .start();
      String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      int rc = p.waitFor();
      List<String> lines = stdout.strip().lines().toList();
      if (rc != 0 || lines.isEmpty()) {
        List<String> err = Files.readAllLines(errors);
        throw new IOException(
            script
                + " "
                + out
                + " failed with exit "
                + rc
                + "; its last output:\n"
                + String.join("\n", err.subList(Math.max(0, err.size() - 40), err.size()))
                + "\n"
                + stdout.strip());
      }
      Path bin = Path.of(lines.get(lines.size() - 1));
      if (!Files.isExecutable(bin)) {
        throw new IOException(script + " printed " + bin + ", which is not executable");
      }
      binary = bin;
      return bin;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while building LazyFS", e);
    } finally {
      Files.deleteIfExists(errors);
    }
  }

  /**
   * Where LazyFS is built: {@code -Dhaulproof.lazyfs.build}, else a directory in /tmp named after
   * the build script's real path. CMake refuses a build directory configured from another source
   * tree, so a checkout elsewhere (CI's clean clone beside its own shared/) must never reuse one.
   */
  private static Path buildDir(Path script) throws IOException {
    String set = System.getProperty("haulproof.lazyfs.build");
    if (set != null) {
      return Path.of(set);
    }
    String source = script.toRealPath().toString();
    try {
      byte[] h =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(source.getBytes(StandardCharsets.UTF_8));
      return Path.of("/tmp", "lazyfs-build-" + java.util.HexFormat.of().formatHex(h, 0, 6));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  /** How many lines contain {@code needle}. */
  private static int count(List<String> lines, String needle) {
    int n = 0;
    for (String l : lines) {
      if (l.contains(needle)) {
        n++;
      }
    }
    return n;
  }

  private static String readQuietly(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      return "(" + e + ")";
    }
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
