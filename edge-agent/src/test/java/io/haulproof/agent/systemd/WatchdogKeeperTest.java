package io.haulproof.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.testing.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchdogKeeperTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final long PID = 4242;

  @TempDir Path dir;

  @Test
  void watchdogTimeout_usecSet_returnsIt() {
    assertThat(WatchdogKeeper.watchdogTimeout(Map.of("WATCHDOG_USEC", "30000000"), PID))
        .contains(Duration.ofSeconds(30));
  }

  @Test
  void watchdogTimeout_unset_isEmpty() {
    assertThat(WatchdogKeeper.watchdogTimeout(Map.of(), PID)).isEmpty();
  }

  @Test
  void watchdogTimeout_pidOfAnotherProcess_isEmpty() {
    assertThat(
            WatchdogKeeper.watchdogTimeout(
                Map.of("WATCHDOG_USEC", "30000000", "WATCHDOG_PID", "17"), PID))
        .isEmpty();
  }

  @Test
  void watchdogTimeout_pidOfThisProcess_returnsIt() {
    assertThat(
            WatchdogKeeper.watchdogTimeout(
                Map.of("WATCHDOG_USEC", "1000000", "WATCHDOG_PID", Long.toString(PID)), PID))
        .contains(Duration.ofSeconds(1));
  }

  @Test
  void watchdogTimeout_garbageOrZero_throwsNamingTheValue() {
    assertThatThrownBy(() -> WatchdogKeeper.watchdogTimeout(Map.of("WATCHDOG_USEC", "soon"), PID))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("WATCHDOG_USEC=soon");
    assertThatThrownBy(() -> WatchdogKeeper.watchdogTimeout(Map.of("WATCHDOG_USEC", "0"), PID))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("WATCHDOG_USEC=0");
  }

  @Test
  void keepAlivePeriod_watchdogAndSocket_isHalfTheTimeout() {
    assertThat(
            WatchdogKeeper.keepAlivePeriod(
                Map.of("NOTIFY_SOCKET", "/run/x", "WATCHDOG_USEC", "30000000"), PID))
        .isEqualTo(Duration.ofSeconds(15));
  }

  @Test
  void keepAlivePeriod_noNotifySocket_isZero() {
    assertThat(WatchdogKeeper.keepAlivePeriod(Map.of("WATCHDOG_USEC", "30000000"), PID)).isZero();
  }

  @Test
  void start_noWatchdog_isIdle() {
    // given
    SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of());

    // when
    try (WatchdogKeeper keeper = WatchdogKeeper.start(notifier, () -> true, Map.of(), PID)) {
      // then
      assertThat(keeper.active()).isFalse();
      assertThat(keeper.period()).isZero();
    }
  }

  @Test
  void start_healthFlips_keepAlivesStopAndResume() throws Exception {
    // given: a 400 ms watchdog, so keep-alives every 200 ms, and a health flag the test controls
    AtomicBoolean healthy = new AtomicBoolean(true);
    AtomicInteger checks = new AtomicInteger();
    try (NotifySocket socket = new NotifySocket(dir.resolve("notify"))) {
      Map<String, String> env =
          Map.of("NOTIFY_SOCKET", socket.path().toString(), "WATCHDOG_USEC", "400000");
      SystemdNotifier notifier = SystemdNotifier.fromEnvironment(env);
      try (WatchdogKeeper keeper =
          WatchdogKeeper.start(
              notifier,
              () -> {
                checks.incrementAndGet();
                return healthy.get();
              },
              env,
              PID)) {
        assertThat(keeper.period()).isEqualTo(Duration.ofMillis(200));

        // when healthy: keep-alives arrive again and again
        for (int i = 0; i < 3; i++) {
          socket.await("WATCHDOG=1", WAIT);
        }

        // when unhealthy: after the keeper has seen it twice, nothing more is sent over further
        // checks
        healthy.set(false);
        awaitChecks(checks, 2);
        socket.drain();
        awaitChecks(checks, 3);
        assertThat(socket.receive(Duration.ZERO)).isEmpty();

        // when healthy again: keep-alives resume, with a status line first
        healthy.set(true);
        socket.await("STATUS=healthy", WAIT);
        socket.await("WATCHDOG=1", WAIT);
        assertThat(keeper.sent()).isGreaterThanOrEqualTo(4);
      }
    }
  }

  @Test
  void start_healthCheckThrows_withholdsKeepAlive() throws Exception {
    // given
    AtomicInteger checks = new AtomicInteger();
    try (NotifySocket socket = new NotifySocket(dir.resolve("notify"))) {
      Map<String, String> env =
          Map.of("NOTIFY_SOCKET", socket.path().toString(), "WATCHDOG_USEC", "200000");
      SystemdNotifier notifier = SystemdNotifier.fromEnvironment(env);

      // when
      try (WatchdogKeeper keeper =
          WatchdogKeeper.start(
              notifier,
              () -> {
                checks.incrementAndGet();
                throw new IllegalStateException("log writer stuck");
              },
              env,
              PID)) {
        awaitChecks(checks, 3);

        // then
        assertThat(socket.await("STATUS=unhealthy: watchdog keep-alives withheld", WAIT))
            .isNotNull();
        assertThat(socket.receive(Duration.ZERO)).isEmpty();
        assertThat(keeper.sent()).isZero();
      }
    }
  }

  /** Waits until the keeper has run its health check {@code more} further times. */
  private static void awaitChecks(AtomicInteger checks, int more) {
    int target = checks.get() + more;
    Await.until(
        () -> checks.get() >= target,
        WAIT,
        "health check run " + target + " times",
        () -> checks.get() + " times");
  }
}
