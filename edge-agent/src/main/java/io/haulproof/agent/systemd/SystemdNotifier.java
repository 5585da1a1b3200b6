package io.haulproof.agent.systemd;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import io.haulproof.agent.runtime.Notifier;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * Tells systemd that the agent is ready, alive, busy with something or stopping (sd_notify(3),
 * systemd.service(5) {@code Type=notify}).
 *
 * <p>It is a no-op when {@code NOTIFY_SOCKET} is unset, so the agent runs unchanged outside
 * systemd. Each message is one AF_UNIX datagram sent with libc's {@code sendto} through JNA, as
 * sd_notify(3) does; systemd sets SO_PASSCRED on its socket, so the kernel attaches this process's
 * PID, which {@code NotifyAccess=main} checks. The {@code systemd-notify} command is not used: its
 * short-lived PID is not the main PID, and it races.
 *
 * <p>Thread-safe: each message uses a fresh socket. The agent's runtime uses it through {@link
 * Notifier}: {@code haulproof run} passes {@code SystemdNotifier.fromEnvironment()} and {@link
 * WatchdogKeeper#keepAlivePeriod()} to the runtime.
 */
public final class SystemdNotifier implements Notifier {
  /** Environment variable naming the service manager's notification socket. */
  public static final String NOTIFY_SOCKET = "NOTIFY_SOCKET";

  private final LibC libc;
  private final byte[] address;

  private SystemdNotifier(LibC libc, byte[] address) {
    this.libc = libc;
    this.address = address;
  }

  /** A notifier for this process: live under systemd, a no-op otherwise. */
  public static SystemdNotifier fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /**
   * A notifier that is live when {@code env} has a non-empty NOTIFY_SOCKET (a path, or '@' and an
   * abstract name); native code is loaded only then.
   *
   * @throws IllegalArgumentException if NOTIFY_SOCKET is not a usable AF_UNIX address
   */
  public static SystemdNotifier fromEnvironment(Map<String, String> env) {
    String socket = env.get(NOTIFY_SOCKET);
    if (socket == null || socket.isEmpty()) {
      return new SystemdNotifier(null, null);
    }
    byte[] address = LibC.sockaddrUn(socket);
    return new SystemdNotifier(LibC.load(), address);
  }

  /** True when messages actually go to a service manager. */
  public boolean enabled() {
    return libc != null;
  }

  /** READY=1: every part of the agent is up. systemd considers the start finished only now. */
  @Override
  public void ready() {
    send("READY=1");
  }

  /**
   * WATCHDOG=1: a keep-alive; send only while the agent's health checks pass (see {@link
   * WatchdogKeeper}).
   */
  @Override
  public void watchdog() {
    send("WATCHDOG=1");
  }

  /** STATUS=…: one line shown by {@code systemctl status}; line breaks are replaced by spaces. */
  @Override
  public void status(String text) {
    Objects.requireNonNull(text, "text");
    send("STATUS=" + text.replaceAll("[\\r\\n]+", " "));
  }

  /**
   * STOPPING=1: shutdown has begun, so systemd does not mistake the exit for a crash while it is in
   * progress.
   */
  @Override
  public void stopping() {
    send("STOPPING=1");
  }

  private void send(String state) {
    if (libc == null) {
      return;
    }
    byte[] message = state.getBytes(StandardCharsets.UTF_8);
    int fd = -1;
    try {
      fd = libc.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
      long sent =
          libc.sendto(
                  fd,
                  message,
                  new NativeLong(message.length),
                  LibC.MSG_NOSIGNAL,
                  address,
                  address.length)
              .longValue();
      if (sent != message.length) {
        throw new SystemdNotifyException(state, "sent " + sent + " bytes, want " + message.length);
      }
    } catch (LastErrorException e) {
      throw new SystemdNotifyException(state, "errno " + e.getErrorCode(), e);
    } finally {
      if (fd >= 0) {
        libc.close(fd);
      }
    }
  }
}
