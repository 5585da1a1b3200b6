package io.haulproof.agent.runtime;

/**
 * Tells the service manager about the agent's state (systemd {@code sd_notify}: READY=1,
 * WATCHDOG=1, STOPPING=1).
 *
 * <p>The systemd implementation lives in {@code io.haulproof.agent.systemd}; without {@code
 * NOTIFY_SOCKET} the runtime uses {@link #none()}.
 */
public interface Notifier {
  /** Every part is up. */
  void ready();

  /** The agent is healthy; sent only while health checks pass, so a hung agent gets restarted. */
  void watchdog();

  /** Orderly shutdown has begun. */
  void stopping();

  /** A short human-readable status line. */
  void status(String text);

  /** A notifier that tells no one. */
  static Notifier none() {
    return new Notifier() {
      @Override
      public void ready() {}

      @Override
      public void watchdog() {}

      @Override
      public void stopping() {}

      @Override
      public void status(String text) {}
    };
  }
}
