package io.haulproof.agent.runtime;

import io.haulproof.agent.health.AgentMetrics;
import io.haulproof.agent.health.HealthRegistry;
import io.haulproof.agent.health.HealthStatus;
import io.haulproof.agent.status.StatusBoard;
import io.haulproof.lightchain.files.StorageCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the evidence log can be written: the {@code log-writable} health check (critical: the
 * agent is not ready while the data dir is full or read-only), the gauges {@code
 * haulproof_log_writable} and {@code haulproof_storage_usable_bytes}, the status page's {@code
 * storage} line and one log line per change. Other parts that take evidence (the smart-bin
 * endpoints) ask {@link #writable()} before they accept anything.
 *
 * <p>{@link #refresh()} blocks briefly (statvfs, mount table): call it off event loops.
 */
public final class StorageWatch {
  /** The name of the health check. */
  public static final String CHECK = "log-writable";

  private static final Logger LOG = LoggerFactory.getLogger(StorageWatch.class);

  private final StorageCheck check;
  private final StatusBoard board;
  private volatile StorageCheck.Writability state;

  StorageWatch(StorageCheck check, AgentMetrics metrics, StatusBoard board, HealthRegistry health) {
    this.check = check;
    this.board = board;
    this.state = check.check();
    board.storage(state.writable(), state.reason());
    if (!state.writable()) {
      LOG.warn("evidence log not writable: {}; refusing new lifts until it is", state.reason());
    }
    health.register(
        CHECK,
        () ->
            state.writable()
                ? HealthStatus.up(state.reason())
                : HealthStatus.down("refusing new lifts: " + state.reason()));
    metrics.gauge(
        "haulproof.log.writable",
        "1 while the evidence log can take new entries, 0 while its disk is full or read-only",
        () -> state.writable() ? 1 : 0);
    metrics.gauge(
        "haulproof.storage.usable.bytes",
        "bytes usable on the data dir's file system at the last check",
        () -> state.usableBytes());
  }

  /** Checks again now and reports a change; returns whether the log is writable. */
  public boolean refresh() {
    StorageCheck.Writability now = check.check();
    StorageCheck.Writability before = state;
    state = now;
    if (now.writable() != before.writable()) {
      board.storage(now.writable(), now.reason());
      if (now.writable()) {
        LOG.info("evidence log writable again ({}); accepting lifts", now.reason());
      } else {
        LOG.warn("evidence log not writable: {}; refusing new lifts until it is", now.reason());
      }
    }
    return now.writable();
  }

  /** The state at the last check (no I/O). */
  public boolean writable() {
    return state.writable();
  }

  /** Why, at the last check. */
  public String reason() {
    return state.reason();
  }
}
