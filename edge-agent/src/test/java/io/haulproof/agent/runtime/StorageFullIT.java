package io.haulproof.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.LightchainOptions;
import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.entry.ExceptionCode;
import io.haulproof.lightchain.verify.VerificationResult;
import io.haulproof.uplink.testing.EventLoopGuard;
import io.vertx.core.VertxOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Full disk and bad storage through the real runtime on a real log: the data dir on a size-capped
 * tmpfs that the test fills, and on an ext4 loop image whose file system the test turns read-only
 * the way an SD card error does ({@code errors=remount-ro}). The agent must refuse new lifts loudly
 * (not ready with the reason, {@code haulproof_log_writable 0}, a refused-lifts counter, a status
 * line), keep every entry it has, and take lifts again by itself once there is room.
 */
@ExtendWith(EventLoopGuard.class)
class StorageFullIT {
  private static final Duration HANG_GUARD = Duration.ofSeconds(90);
  private static final Duration UMOUNT_GUARD = Duration.ofSeconds(10);
  private static final String ORIGIN = "haulproof.io/v1/fleet/truck-1";

  @TempDir Path tmp;
  private final List<Path> mounts = new ArrayList<>();
  private AgentRuntime runtime;
  private LightchainEvidence evidence;

  @AfterEach
  void tearDown() throws Exception {
    stopRuntime();
    for (int i = mounts.size() - 1; i >= 0; i--) {
      umount(mounts.get(i));
    }
  }

  @Test
  void diskFull_thenSpaceReturns_refusesLiftsLoudlyKeepsEntriesAndResumes() throws Exception {
    // given the data dir on a 16 MiB tmpfs, and one lift recorded
    Path mnt = Files.createDirectories(tmp.resolve("tmpfs"));
    run("mount", "-t", "tmpfs", "-o", "size=16m,mode=0700", "tmpfs", mnt.toString());
    mounts.add(mnt);
    Path data = mnt.resolve("data");
    startRuntime(data);
    lift();
    await(() -> runtime.metrics().liftsTotal() == 1);
    // (its block sealed: a seal that meets a disk filled to the last byte by another process
    // stops sealing until a restart, see docs/power-and-storage.md)
    await(() -> sealedUpTo(1));

    // when the disk fills up
    Path filler = mnt.resolve("filler");
    fill(filler);

    // then a lift is refused loudly, and the agent says why
    await(() -> !runtime.health().report().ready());
    assertThat(runtime.health().report().reason())
        .startsWith(StorageWatch.CHECK + ": refusing new lifts: disk full under");
    lift();
    await(() -> runtime.metrics().count("haulproof.lifts.refused", null, null) == 1);
    assertThat(runtime.metrics().liftsTotal()).isEqualTo(1);
    assertThat(runtime.metrics().scrape()).contains("haulproof_log_writable 0.0");
    assertThat(runtime.board().snapshot().get("storage").toString()).contains("log_writable=false");

    // when space returns, it takes lifts again by itself
    Files.delete(filler);
    await(() -> runtime.health().report().ready());
    assertThat(runtime.metrics().scrape()).contains("haulproof_log_writable 1.0");
    lift();
    await(() -> runtime.metrics().liftsTotal() == 2);

    // and what it held is intact
    stopRuntime();
    assertVerifies(data, 2);
  }

  @Test
  void sdCardTurnsReadOnly_refusesLiftsLoudlyAndKeepsEveryEntry() throws Exception {
    // given the data dir on ext4 (errors=remount-ro) in a loop image, and two lifts recorded
    Path image = tmp.resolve("sd.img");
    run("truncate", "-s", "64M", image.toString());
    run("mkfs.ext4", "-q", "-F", image.toString());
    Path mnt = Files.createDirectories(tmp.resolve("sd"));
    run("mount", "-o", "loop,errors=remount-ro", image.toString(), mnt.toString());
    mounts.add(mnt);
    Path data = mnt.resolve("data");
    startRuntime(data);
    lift();
    lift();
    await(() -> runtime.metrics().liftsTotal() == 2);
    await(() -> sealedUpTo(2));

    // when the card fails and ext4 turns the file system read-only
    String dev = run("findmnt", "-n", "-o", "SOURCE", mnt.toString()).strip();
    Files.writeString(
        Path.of("/sys/fs/ext4", Path.of(dev).getFileName().toString(), "trigger_fs_error"), "1");

    // then a lift is refused loudly, and the agent says why (a block or index write in flight
    // when the card fails may also stop the block thread: then the agent is not live either, and
    // systemd restarts it)
    await(() -> !runtime.health().report().ready());
    await(() -> !runtime.health().report().checks().get(StorageWatch.CHECK).ok());
    assertThat(runtime.health().report().checks().get(StorageWatch.CHECK).reason())
        .startsWith("refusing new lifts: cannot write under")
        .contains("Read-only file system");
    lift();
    await(() -> runtime.metrics().count("haulproof.lifts.refused", null, null) == 1);
    assertThat(runtime.metrics().liftsTotal()).isEqualTo(2);
    assertThat(runtime.metrics().scrape()).contains("haulproof_log_writable 0.0");

    // and the card, checked and mounted again (a copy: the read-only mount stays busy, see
    // below), holds every entry
    stopRuntime();
    Path copy = tmp.resolve("sd-copy.img");
    run("cp", "--sparse=always", image.toString(), copy.toString());
    // e2fsck exits 1 when it corrected errors: expected after an aborted journal
    Process fsck =
        new ProcessBuilder("e2fsck", "-fy", copy.toString()).redirectErrorStream(true).start();
    String fsckOut = new String(fsck.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(fsck.waitFor()).as(fsckOut).isLessThanOrEqualTo(1);
    Path mnt2 = Files.createDirectories(tmp.resolve("sd-copy"));
    run("mount", "-o", "loop", copy.toString(), mnt2.toString());
    mounts.add(mnt2);
    assertVerifies(mnt2.resolve("data"), 2);
  }

  private void startRuntime(Path data) throws Exception {
    Lightchain chain =
        Lightchain.open(
            data,
            FileKeyStore.openOrCreate(data),
            "truck-1",
            LightchainOptions.defaults(ORIGIN).withBlocks(100, 200));
    evidence = new LightchainEvidence(chain);
    RuntimeParts parts =
        RuntimeFixtures.truckOneParts(
            evidence,
            new RecordingUplink(new ArrayList<>()),
            List.of(new ScriptedSource("rfid"), new ScriptedSource("scale")),
            null,
            new AgentRuntimeTest.CountingNotifier(),
            0);
    runtime =
        new AgentRuntime(
            parts,
            new VertxOptions()
                .setMaxEventLoopExecuteTime(200)
                .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS));
    assertTimeoutPreemptively(
        HANG_GUARD, () -> runtime.start().toCompletionStage().toCompletableFuture().join());
    await(() -> runtime.health().report().ready());
  }

  private void stopRuntime() {
    if (runtime != null) {
      AgentRuntime r = runtime;
      runtime = null;
      assertTimeoutPreemptively(
          HANG_GUARD, () -> r.stop().toCompletionStage().toCompletableFuture().join());
    }
  }

  /** Every one of the first {@code n} entries is in a sealed block (the block thread is idle). */
  private boolean sealedUpTo(long n) {
    var blocks = evidence.chain().blocks();
    if (blocks.isEmpty()) {
      return false;
    }
    var last = blocks.get(blocks.size() - 1).header();
    return last.firstIndex() + last.count() == n;
  }

  /** A crew-reported lift (bin not out): an event the log writer must record or refuse. */
  private void lift() {
    runtime.vertx().eventBus().send(Addresses.CREW, new CrewInput(ExceptionCode.NOT_OUT, "bin-1"));
  }

  private static void assertVerifies(Path data, long entries) throws Exception {
    try (Lightchain chain =
        Lightchain.open(
            data, FileKeyStore.openOrCreate(data), "truck-1", LightchainOptions.defaults(ORIGIN))) {
      assertThat(chain.log().lossEntries()).isEmpty();
      assertThat(chain.log().size()).isEqualTo(entries);
      chain.flush().get(1, TimeUnit.MINUTES);
      VerificationResult v = chain.verify(n -> {});
      assertThat(v.reason()).isEmpty();
      assertThat(v.entries()).isEqualTo(entries);
    }
  }

  /** Writes {@code file} until the file system refuses (ENOSPC). */
  private static void fill(Path file) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(256 * 1024);
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      while (true) {
        chunk.clear();
        ch.write(chunk);
      }
    } catch (IOException e) {
      assertThat(e.getMessage()).contains("No space left");
    }
  }

  private static void await(BooleanSupplier condition) {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          while (!condition.getAsBoolean()) {
            Thread.sleep(10);
          }
        });
  }

  /**
   * Unmounts {@code mnt}; while this JVM still maps a file there (a closed log's segment), asks for
   * a GC and retries.
   */
  private static void umount(Path mnt) throws Exception {
    long deadline = System.nanoTime() + UMOUNT_GUARD.toNanos();
    while (true) {
      Process p = new ProcessBuilder("umount", mnt.toString()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() == 0) {
        return;
      }
      if (out.contains("busy") && System.nanoTime() > deadline && readOnly(mnt)) {
        // The block index (MapDB) keeps its WAL open when its close fails on a read-only file
        // system; detach lazily, the kernel releases it with this JVM.
        run("umount", "-l", mnt.toString());
        return;
      }
      if (!out.contains("busy") || System.nanoTime() > deadline) {
        throw new IOException(
            "umount " + mnt + " failed: " + out.strip() + "; this JVM holds " + openUnder(mnt));
      }
      System.gc();
      Thread.sleep(20);
    }
  }

  private static boolean readOnly(Path mnt) {
    return !new io.haulproof.lightchain.files.StorageCheck(mnt, 0).check().writable();
  }

  private static List<String> openUnder(Path mnt) throws IOException {
    List<String> held = new ArrayList<>();
    try (var fds = Files.list(Path.of("/proc/self/fd"))) {
      for (Path fd : fds.toList()) {
        try {
          Path target = Files.readSymbolicLink(fd);
          if (target.startsWith(mnt)) {
            held.add(target.toString());
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    }
    Files.readAllLines(Path.of("/proc/self/maps")).stream()
        .filter(l -> l.contains(mnt.toString()))
        .forEach(held::add);
    return held;
  }

  private static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
    }
    return out;
  }
}
