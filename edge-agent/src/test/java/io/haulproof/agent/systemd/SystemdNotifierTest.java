package io.haulproof.agent.systemd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdNotifierTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void fromEnvironment_noNotifySocket_isDisabledAndSendsNothing() {
    // given
    SystemdNotifier notifier = SystemdNotifier.fromEnvironment(Map.of());

    // when
    notifier.ready();
    notifier.watchdog();
    notifier.status("idle");
    notifier.stopping();

    // then
    assertThat(notifier.enabled()).isFalse();
  }

  @Test
  void ready_boundSocket_deliversEachMessageAsOneDatagram() throws Exception {
    // given
    try (NotifySocket socket = new NotifySocket(dir.resolve("notify"))) {
      SystemdNotifier notifier =
          SystemdNotifier.fromEnvironment(
              Map.of(SystemdNotifier.NOTIFY_SOCKET, socket.path().toString()));

      // when
      notifier.ready();
      notifier.status("log open\nuplink up");
      notifier.watchdog();
      notifier.stopping();

      // then
      assertThat(notifier.enabled()).isTrue();
      assertThat(socket.receive(WAIT)).contains("READY=1");
      assertThat(socket.receive(WAIT)).contains("STATUS=log open uplink up");
      assertThat(socket.receive(WAIT)).contains("WATCHDOG=1");
      assertThat(socket.receive(WAIT)).contains("STOPPING=1");
    }
  }

  @Test
  void ready_abstractSocketName_isDelivered() throws Exception {
    // given: '@' marks the Linux abstract namespace, as systemd may hand out
    String name = "@haulproof-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    try (NotifySocket socket = new NotifySocket(Path.of(name))) {
      SystemdNotifier notifier =
          SystemdNotifier.fromEnvironment(Map.of(SystemdNotifier.NOTIFY_SOCKET, name));

      // when
      notifier.ready();

      // then
      assertThat(socket.receive(WAIT)).contains("READY=1");
    }
  }

  @Test
  void ready_nobodyListening_throwsWithErrno() {
    // given: a socket path nobody has bound
    SystemdNotifier notifier =
        SystemdNotifier.fromEnvironment(
            Map.of(SystemdNotifier.NOTIFY_SOCKET, dir.resolve("absent").toString()));

    // when / then
    assertThatThrownBy(notifier::ready)
        .isInstanceOf(SystemdNotifyException.class)
        .hasMessageContaining("READY=1")
        .hasMessageContaining("errno 2");
  }

  @Test
  void fromEnvironment_pathLongerThanSunPath_throws() {
    // given
    String tooLong = "/tmp/" + "x".repeat(120);

    // when / then
    assertThatThrownBy(
            () -> SystemdNotifier.fromEnvironment(Map.of(SystemdNotifier.NOTIFY_SOCKET, tooLong)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("125 bytes");
  }
}
