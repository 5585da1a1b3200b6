package io.haulproof.agent.systemd;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends systemd watchdog keep-alives (WATCHDOG=1) at half the interval systemd asked for ({@code
 * WATCHDOG_USEC}, from {@code WatchdogSec=}), but only while the agent's health check passes.
 *
 * <p>When the check fails (or throws, or hangs: it runs on the keep-alive thread) the keep-alives
 * stop, and systemd kills and restarts the agent once the watchdog interval has passed without one.
 * If the check passes again before that, keep-alives resume. The health check must be cheap and
 * must not block for long: it should read state the agent's loops keep up to date (for example "the
 * log writer committed within the last N seconds").
 */
public final class WatchdogKeeper implements AutoCloseable {
  /** Environment variable with the watchdog timeout in microseconds (sd_watchdog_enabled(3)). */
  public static final String WATCHDOG_USEC = "WATCHDOG_USEC";

  /** Environment variable naming the PID the watchdog applies to, when set. */
  public static final String WATCHDOG_PID = "WATCHDOG_PID";

  private static final Logger LOG = LoggerFactory.getLogger(WatchdogKeeper.class);

  private final SystemdNotifier notifier;
  private final BooleanSupplier health;
  private final Duration period;
  private final ScheduledExecutorService timer;
  private final AtomicLong sent = new AtomicLong();
  private volatile boolean healthy = true;

  private WatchdogKeeper(SystemdNotifier notifier, BooleanSupplier health, Duration period) {
    this.notifier = notifier;
    this.health = health;
    this.period = period;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "systemd-watchdog");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts keep-alives when this process has a systemd watchdog, otherwise returns an idle keeper.
   *
   * @param health true while every part of the agent is working
   */
  public static WatchdogKeeper start(SystemdNotifier notifier, BooleanSupplier health) {
    return start(notifier, health, System.getenv(), ProcessHandle.current().pid());
  }

  static WatchdogKeeper start(
      SystemdNotifier notifier, BooleanSupplier health, Map<String, String> env, long pid) {
    Objects.requireNonNull(notifier, "notifier");
    Objects.requireNonNull(health, "health");
    Optional<Duration> timeout = watchdogTimeout(env, pid);
    if (timeout.isEmpty() || !notifier.enabled()) {
      return new WatchdogKeeper(notifier, health, Duration.ZERO);
    }
    WatchdogKeeper keeper = new WatchdogKeeper(notifier, health, timeout.get().dividedBy(2));
    long micros = TimeUnit.NANOSECONDS.toMicros(keeper.period.toNanos());
    keeper.timer.scheduleAtFixedRate(keeper::tick, 0, micros, TimeUnit.MICROSECONDS);
    return keeper;
  }

  /**
   * The watchdog timeout systemd set for process {@code pid}, if any (the same rules as
   * sd_watchdog_enabled(3)).
   *
   * @throws IllegalArgumentException if WATCHDOG_USEC or WATCHDOG_PID is not a positive integer
   */
  public static Optional<Duration> watchdogTimeout(Map<String, String> env, long pid) {
    String usec = env.get(WATCHDOG_USEC);
    if (usec == null || usec.isEmpty()) {
      return Optional.empty();
    }
    long micros = positive(WATCHDOG_USEC, usec);
    String forPid = env.get(WATCHDOG_PID);
    if (forPid != null && !forPid.isEmpty() && positive(WATCHDOG_PID, forPid) != pid) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(micros)));
  }

  /**
   * How often this process should send WATCHDOG=1: half the timeout systemd set, or zero when no
   * watchdog applies (for a runtime that keeps alive on its own timer, such as the agent's Vert.x
   * periodic).
   */
  public static Duration keepAlivePeriod() {
    return keepAlivePeriod(System.getenv(), ProcessHandle.current().pid());
  }

  static Duration keepAlivePeriod(Map<String, String> env, long pid) {
    if (env.get(SystemdNotifier.NOTIFY_SOCKET) == null
        || env.get(SystemdNotifier.NOTIFY_SOCKET).isEmpty()) {
      return Duration.ZERO;
    }
    return watchdogTimeout(env, pid).map(t -> t.dividedBy(2)).orElse(Duration.ZERO);
  }

  private static long positive(String name, String value) {
    long parsed;
    try {
      parsed = Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + "=" + value + " is not a number, want a positive integer", e);
    }
    if (parsed <= 0) {
      throw new IllegalArgumentException(name + "=" + value + ", want a positive integer");
    }
    return parsed;
  }

  /** The keep-alive period (half the watchdog timeout), or zero when no watchdog is active. */
  public Duration period() {
    return period;
  }

  /** True when keep-alives are being scheduled. */
  public boolean active() {
    return !period.isZero() && !timer.isShutdown();
  }

  /** Keep-alives sent so far. */
  public long sent() {
    return sent.get();
  }

  private void tick() {
    boolean ok;
    try {
      ok = health.getAsBoolean();
    } catch (RuntimeException e) {
      LOG.error("health check threw; withholding the watchdog keep-alive", e);
      ok = false;
    }
    if (ok != healthy) {
      healthy = ok;
      if (ok) {
        LOG.info("health check passes again; resuming watchdog keep-alives");
        notifyQuietly(() -> notifier.status("healthy"));
      } else {
        LOG.error(
            "health check failed; withholding watchdog keep-alives, systemd will restart the agent");
        notifyQuietly(() -> notifier.status("unhealthy: watchdog keep-alives withheld"));
      }
    }
    if (ok && notifyQuietly(notifier::watchdog)) {
      sent.incrementAndGet();
    }
  }

  /**
   * A failed send must not kill the timer thread; it is logged, and the next period tries again.
   */
  private static boolean notifyQuietly(Runnable send) {
    try {
      send.run();
      return true;
    } catch (SystemdNotifyException e) {
      LOG.error("could not notify systemd", e);
      return false;
    }
  }

  /** Stops keep-alives (call before STOPPING=1 on shutdown). */
  @Override
  public void close() {
    timer.shutdownNow();
  }
}
