package io.haulproof.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.haulproof.agent.lift.GnssFix;
import io.haulproof.agent.lift.LifterSide;
import io.haulproof.agent.lift.TagRead;
import io.haulproof.agent.lift.TagTechnology;
import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.LightchainOptions;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.entry.EntryHeader;
import io.haulproof.lightchain.entry.FixMode;
import io.haulproof.lightchain.entry.TimeSource;
import io.haulproof.lightchain.testing.Await;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Entry headers take their time from the lift assembler's time keeper: GNSS when the fix is valid
 * and fresh.
 */
class EntryClockTest {
  private static final Duration HANG_GUARD = Duration.ofSeconds(90);
  private static final Duration WAIT = Duration.ofSeconds(60);

  /** Far from the host clock, so a header stamped by the host clock cannot pass for GNSS time. */
  private static final Instant GNSS_UTC = Instant.parse("2031-03-04T05:06:07Z");

  @TempDir Path dir;
  private AgentRuntime runtime;
  private Lightchain chain;
  private EntryClock clock;
  private final ScriptedSource rfid = new ScriptedSource("rfid");
  private final ScriptedSource scale = new ScriptedSource("scale");
  private final ScriptedSource gps = new ScriptedSource("gps");

  @AfterEach
  void tearDown() throws Exception {
    if (runtime != null) {
      runtime.stop().toCompletionStage().toCompletableFuture().join(); // closes the chain too
    } else if (chain != null) {
      chain.close();
    }
  }

  @Test
  void collection_validFreshGnssFix_entryHeaderSaysGnssWithGnssTime() {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          // given
          start();
          long now = System.nanoTime();
          gps.emit(
              s -> s.fix(new GnssFix(true, 52.5, 13.4, 0.9, FixMode.FIX_3D, 9, GNSS_UTC, now)));
          // when
          EntryHeader h = collectOne();
          // then
          assertThat(h.timeSource()).isEqualTo(TimeSource.GNSS);
          assertThat(h.wallTimeMillis())
              .isBetween(GNSS_UTC.toEpochMilli(), GNSS_UTC.plusSeconds(60).toEpochMilli());
          assertThat(h.timeUncertaintyMs()).isEqualTo(EntryClock.GNSS_UNCERTAINTY_MS);
        });
  }

  @Test
  void collection_invalidFix_entryHeaderSaysConfiguredFallbackWithHostTime() {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          // given
          start();
          long before = System.currentTimeMillis();
          gps.emit(
              s ->
                  s.fix(
                      new GnssFix(
                          false,
                          Double.NaN,
                          Double.NaN,
                          null,
                          FixMode.NO_FIX,
                          0,
                          GNSS_UTC,
                          System.nanoTime())));
          // when
          EntryHeader h = collectOne();
          // then
          assertThat(h.timeSource()).isEqualTo(TimeSource.NTP);
          assertThat(h.wallTimeMillis())
              .isBetween(before - 1_000, System.currentTimeMillis() + 1_000);
          assertThat(h.timeUncertaintyMs()).isEqualTo(EntryClock.NTP_UNCERTAINTY_MS);
        });
  }

  @Test
  void collection_staleFix_fallsBackToHostClock() {
    assertTimeoutPreemptively(
        HANG_GUARD,
        () -> {
          // given a fix older than the 5 s maximum fix age
          start();
          long old = System.nanoTime() - Duration.ofMinutes(5).toNanos();
          gps.emit(
              s -> s.fix(new GnssFix(true, 52.5, 13.4, 0.9, FixMode.FIX_3D, 9, GNSS_UTC, old)));
          // when
          EntryHeader h = collectOne();
          // then
          assertThat(h.timeSource()).isNotEqualTo(TimeSource.GNSS);
          assertThat(h.wallTimeMillis()).isLessThan(GNSS_UTC.toEpochMilli() - 86_400_000L);
        });
  }

  private void start() throws Exception {
    clock = new EntryClock();
    chain =
        Lightchain.open(
            dir,
            FileKeyStore.openOrCreate(dir),
            "truck-1",
            LightchainOptions.defaults("haulproof.io/v1/f/truck-1"),
            clock);
    LightchainEvidence evidence = new LightchainEvidence(chain);
    RuntimeParts parts =
        RuntimeFixtures.truckOneParts(
            evidence,
            new OfflineUplink(() -> chain.log().size()),
            List.of(rfid, scale, gps),
            null,
            Notifier.none(),
            0);
    runtime = new AgentRuntime(parts, new VertxOptions());
    runtime.stampEntriesWith(clock);
    runtime.start().toCompletionStage().toCompletableFuture().join();
  }

  private EntryHeader collectOne() throws Exception {
    long before = chain.log().size();
    // the fix travels gps source -> event bus -> lift assembler's time keeper; a tag follows it
    // on another source
    Await.until(() -> clock.latestFix() != null, WAIT, "the fix to reach the time keeper");
    rfid.emit(
        s ->
            s.tag(
                new TagRead(
                    "ab",
                    "bin-1",
                    TagTechnology.FDX_B,
                    1,
                    null,
                    "rear",
                    LifterSide.REAR_COMB,
                    System.nanoTime())));
    // the tag is handed on before the weighing is emitted
    Await.until(rfid::queueEmpty, WAIT, "the tag to be handed on");
    long t = System.nanoTime();
    scale.emit(s -> s.weighing(RuntimeFixtures.weighing(t)));
    Await.until(
        () -> chain.log().size() > before,
        WAIT,
        "the collection entry",
        () -> "log size " + chain.log().size());
    return EntryCodec.decode(CoseSign1.decode(chain.log().read(before))).header();
  }
}
