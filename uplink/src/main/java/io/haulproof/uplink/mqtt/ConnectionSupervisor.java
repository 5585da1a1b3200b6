package io.haulproof.uplink.mqtt;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one MQTT session alive against Paho's known hangs: it puts its own deadline on every
 * connect, subscribe and QoS 1 publish, and when one hangs (a connection stalled before CONNACK, a
 * resubscribe that never returns, a PUBACK that never comes) it throws the client away and builds a
 * new one after an exponential backoff with jitter. It retries forever, including after a failed
 * first connect, and never calls into Paho from Paho's own threads. A PUBACK or SUBACK deadline
 * that passes while the broker is still sending moves on instead (up to {@link #MAX_STRETCH}
 * times): that broker is behind, not gone.
 *
 * <p>After each connect it resubscribes, publishes the retained birth message, then tells {@link
 * #onConnected(Runnable) listeners} (the outbox resends from its cursor).
 */
public final class ConnectionSupervisor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionSupervisor.class);

  /** Handles one inbound message on the client's thread; the broker is acked after it returns. */
  @FunctionalInterface
  public interface MessageHandler {
    void handle(MqttMessage message) throws Exception;
  }

  /**
   * Takes one inbound message and hands it off; the broker is acked when the returned stage
   * completes normally, and the client is dropped (so the broker redelivers) if it fails. Lets a
   * subscriber work on many messages at once, each acknowledged only once it is durable.
   */
  @FunctionalInterface
  public interface AsyncMessageHandler {
    CompletionStage<Void> handle(MqttMessage message) throws Exception;
  }

  private record Subscription(String filter, int qos, AsyncMessageHandler handler) {}

  /** The broker is not connected now; the caller retries after {@link #onConnected}. */
  public static final class NotConnectedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    NotConnectedException(String uri) {
      super("not connected to " + uri);
    }
  }

  private final MqttTransport transport;
  private final MqttSettings settings;
  private final Backoff backoff;
  private final ScheduledThreadPoolExecutor exec;
  private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
  private final List<Runnable> connectedListeners = new CopyOnWriteArrayList<>();
  private final AtomicLong connects = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong watchdogFires = new AtomicLong();
  private final AtomicLong deadlinesStretched = new AtomicLong();

  /** Deadlines stretched on this connection so far, so that only the first one is logged. */
  private final AtomicLong stretchLogged = new AtomicLong();

  /**
   * A deadline on a session whose broker is still sending moves on, up to this many times its
   * length in all.
   */
  static final int MAX_STRETCH = 10;

  private final java.util.Set<CompletableFuture<Void>> pending =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile Supplier<MqttMessage> birth;
  private volatile MqttSession session;
  private volatile long generation;
  private volatile boolean stopped;
  private volatile String lastError = "";

  public ConnectionSupervisor(MqttTransport transport, MqttSettings settings) {
    this(transport, settings, new Random());
  }

  public ConnectionSupervisor(MqttTransport transport, MqttSettings settings, Random jitter) {
    settings.requireUsable();
    this.transport = transport;
    this.settings = settings;
    this.backoff = new Backoff(settings.backoffMin(), settings.backoffMax(), jitter);
    this.exec =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "mqtt-supervisor-" + settings.clientId());
              t.setDaemon(true);
              return t;
            });
    this.exec.setRemoveOnCancelPolicy(true);
  }

  /**
   * Subscribes now (if connected) and after every reconnect. Call before or after {@link #start()}.
   */
  public void subscribe(String filter, int qos, MessageHandler handler) {
    subscribeAsync(
        filter,
        qos,
        m -> {
          handler.handle(m);
          return CompletableFuture.completedFuture(null);
        });
  }

  /** Like {@link #subscribe(String, int, MessageHandler)}, acknowledging as the handler says. */
  public void subscribeAsync(String filter, int qos, AsyncMessageHandler handler) {
    Subscription s = new Subscription(filter, qos, handler);
    subscriptions.add(s);
    exec.execute(
        () -> {
          MqttSession current = session;
          if (current != null) {
            long gen = generation;
            deadline(
                    current,
                    current.subscribe(filter, qos),
                    settings.connectTimeout(),
                    "subscribe " + filter)
                .whenCompleteAsync(
                    (v, ex) -> {
                      if (ex != null) {
                        recreate(gen, ex);
                      }
                    },
                    exec);
          }
        });
  }

  /** The retained birth message to publish after every connect (status topic). */
  public void birth(Supplier<MqttMessage> birthMessage) {
    this.birth = birthMessage;
  }

  /**
   * Runs {@code listener} on the supervisor thread after every successful connect, resubscribe and
   * birth.
   */
  public void onConnected(Runnable listener) {
    connectedListeners.add(listener);
  }

  public void start() {
    exec.execute(this::attempt);
  }

  public boolean isConnected() {
    MqttSession s = session;
    return s != null && s.isConnected();
  }

  public long connects() {
    return connects.get();
  }

  public long failures() {
    return failures.get();
  }

  /**
   * How many deadlines (PUBACK, SUBACK) passed while the broker was still sending, so the
   * connection was kept and the deadline moved on.
   */
  public long deadlinesStretched() {
    return deadlinesStretched.get();
  }

  /** How often a deadline fired and the client was recreated. */
  public long watchdogFires() {
    return watchdogFires.get();
  }

  public String lastError() {
    return lastError;
  }

  public String serverUri() {
    return settings.serverUri();
  }

  /**
   * Publishes on the current session. Fails at once with {@link NotConnectedException} when there
   * is none; fails with a {@link TimeoutException} (and recreates the client) when the PUBACK does
   * not come within the publish timeout.
   */
  public CompletableFuture<Void> publish(MqttMessage message) {
    MqttSession s = session;
    long gen = generation;
    if (s == null || stopped) {
      return CompletableFuture.failedFuture(new NotConnectedException(settings.serverUri()));
    }
    CompletableFuture<Void> f =
        deadline(s, s.publish(message), settings.publishTimeout(), "publish " + message.topic());
    pending.add(f);
    f.whenComplete((v, ex) -> pending.remove(f));
    if (message.qos() > 0) {
      f.whenComplete(
          (v, ex) -> {
            if (ex instanceof TimeoutException) {
              watchdogFires.incrementAndGet();
              exec.execute(() -> recreate(gen, ex));
            }
          });
    }
    return f;
  }

  /** Stops reconnecting and closes the session. */
  @Override
  public void close() {
    if (exec.isShutdown()) {
      return; // closed before
    }
    stopped = true;
    CompletableFuture<Void> done = new CompletableFuture<>();
    exec.execute(
        () -> {
          generation++;
          MqttSession s = session;
          session = null;
          if (s != null) {
            s.close();
          }
          done.complete(null);
        });
    try {
      done.get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("supervisor close of {} did not finish: {}", settings.clientId(), e.toString());
    }
    exec.shutdownNow();
  }

  // ----- all below runs on exec -----

  private void attempt() {
    if (stopped) {
      return;
    }
    long gen = ++generation;
    MqttTransport.PendingConnect pending = transport.connect(settings, listener(gen));
    CompletableFuture<MqttSession> f =
        deadline(pending.session(), settings.connectTimeout(), "connect");
    f.whenCompleteAsync(
        (s, ex) -> {
          if (ex != null) {
            if (ex instanceof TimeoutException) {
              watchdogFires.incrementAndGet();
            }
            failures.incrementAndGet();
            lastError = String.valueOf(ex);
            LOG.warn("connect to {} failed: {}", settings.serverUri(), ex.toString());
            pending.abandon();
            if (gen == generation) {
              scheduleRetry();
            }
            return;
          }
          if (stopped || gen != generation) {
            s.close();
            return;
          }
          session = s;
          stretchLogged.set(0);
          afterConnect(gen, s);
        },
        exec);
  }

  private void afterConnect(long gen, MqttSession s) {
    CompletableFuture<?>[] subs =
        subscriptions.stream()
            .map(
                sub ->
                    deadline(
                        s,
                        s.subscribe(sub.filter(), sub.qos()),
                        settings.connectTimeout(),
                        "subscribe " + sub.filter()))
            .toArray(CompletableFuture[]::new);
    CompletableFuture.allOf(subs)
        .thenCompose(
            v -> {
              Supplier<MqttMessage> b = birth;
              return b == null
                  ? CompletableFuture.completedFuture(null)
                  : deadline(s, s.publish(b.get()), settings.publishTimeout(), "birth");
            })
        .whenCompleteAsync(
            (v, ex) -> {
              if (gen != generation) {
                return;
              }
              if (ex != null) {
                if (unwrap(ex) instanceof TimeoutException) {
                  watchdogFires.incrementAndGet();
                }
                recreate(gen, ex);
                return;
              }
              connects.incrementAndGet();
              backoff.reset();
              LOG.info("connected to {} as {}", settings.serverUri(), settings.clientId());
              for (Runnable r : connectedListeners) {
                try {
                  r.run();
                } catch (RuntimeException e) {
                  LOG.error("connected listener failed", e);
                }
              }
            },
            exec);
  }

  private void recreate(long gen, Throwable cause) {
    if (gen != generation || stopped) {
      return;
    }
    generation++;
    lastError = String.valueOf(unwrap(cause));
    MqttSession s = session;
    LOG.warn(
        "dropping MQTT client for {}: {}{}",
        settings.serverUri(),
        lastError,
        s == null ? "" : " [" + s.describe() + "]");
    session = null;
    if (s != null) {
      s.close();
    }
    // Paho may keep the tokens of a dropped client pending forever; their senders resend on the
    // next session.
    for (CompletableFuture<Void> f : List.copyOf(pending)) {
      f.completeExceptionally(
          new NotConnectedException(
              settings.serverUri() + " (connection lost: " + lastError + ")"));
    }
    scheduleRetry();
  }

  private void scheduleRetry() {
    if (stopped) {
      return;
    }
    long delay = backoff.next().toMillis();
    exec.schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
  }

  private MqttTransport.Listener listener(long gen) {
    return new MqttTransport.Listener() {
      @Override
      public CompletionStage<Void> onMessage(MqttMessage message) throws Exception {
        List<CompletableFuture<Void>> handled = new java.util.ArrayList<>(1);
        for (Subscription s : subscriptions) {
          if (TopicFilter.matches(s.filter(), message.topic())) {
            handled.add(s.handler().handle(message).toCompletableFuture());
          }
        }
        return handled.size() == 1
            ? handled.get(0)
            : CompletableFuture.allOf(handled.toArray(CompletableFuture[]::new));
      }

      @Override
      public void onLost(Throwable cause) {
        if (!stopped) {
          exec.execute(() -> recreate(gen, cause));
        }
      }
    };
  }

  private <T> CompletableFuture<T> deadline(CompletableFuture<T> f, Duration d, String what) {
    return deadline(null, f, d, what);
  }

  /**
   * {@code f}, failed with a {@link TimeoutException} once it has taken {@code d}, unless session
   * {@code s} (null: none yet) heard from the broker within the last {@code d}: a broker that is
   * still sending is alive but behind, and the deadline moves on, up to {@link #MAX_STRETCH} times
   * {@code d} in all. Dropping such a session only made it worse (issue 10, three ledgers): the
   * persistent session's whole backlog was sent again at once on the next connect, ahead of the
   * SUBACKs, whose deadlines then fired in turn.
   */
  private <T> CompletableFuture<T> deadline(
      MqttSession s, CompletableFuture<T> f, Duration d, String what) {
    CompletableFuture<T> out = new CompletableFuture<>();
    long started = System.nanoTime();
    long limit = d.toNanos();
    AtomicReference<ScheduledFuture<?>> timer = new AtomicReference<>();
    AtomicBoolean stretched = new AtomicBoolean();
    Runnable check =
        new Runnable() {
          @Override
          public void run() {
            if (out.isDone()) {
              return;
            }
            long quiet = s == null ? Long.MAX_VALUE : s.nanosSinceInbound();
            long waited = System.nanoTime() - started;
            if (quiet < limit && waited < MAX_STRETCH * limit) {
              if (stretched.compareAndSet(false, true)) {
                deadlinesStretched.incrementAndGet();
                if (stretchLogged.getAndIncrement() == 0) {
                  LOG.info(
                      "{} on {} has waited over {}, but the broker is still sending (last {} ms"
                          + " ago): it is behind, not gone; waiting up to {} (logged once per"
                          + " connection)",
                      what,
                      settings.serverUri(),
                      d,
                      quiet / 1_000_000,
                      d.multipliedBy(MAX_STRETCH));
                }
              }
              try {
                timer.set(exec.schedule(this, limit - quiet, TimeUnit.NANOSECONDS));
              } catch (RejectedExecutionException e) {
                out.completeExceptionally(new NotConnectedException(settings.serverUri()));
              }
              return;
            }
            out.completeExceptionally(
                new TimeoutException(
                    what
                        + " on "
                        + settings.serverUri()
                        + " took over "
                        + d
                        + (stretched.get()
                            ? " (waited "
                                + Duration.ofNanos(waited).toSeconds()
                                + " s in all, the broker silent for the last "
                                + Duration.ofNanos(quiet).toMillis()
                                + " ms)"
                            : "")));
          }
        };
    try {
      timer.set(exec.schedule(check, limit, TimeUnit.NANOSECONDS));
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(new NotConnectedException(settings.serverUri()));
    }
    f.whenComplete(
        (v, ex) -> {
          timer.get().cancel(false);
          if (ex != null) {
            out.completeExceptionally(unwrap(ex));
          } else {
            out.complete(v);
          }
        });
    return out;
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
