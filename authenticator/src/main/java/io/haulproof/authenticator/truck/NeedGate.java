package io.haulproof.authenticator.truck;

import io.haulproof.authenticator.node.ProposalChecker;
import io.haulproof.lightchain.crypto.Kid;
import java.util.HashMap;
import java.util.Map;

/**
 * Decides when the truck serves an attributed {@code need} (one whose signature a member's key
 * verified), so that no need can make it resend more than the rules allow:
 *
 * <ul>
 *   <li><b>Fresh.</b> The need's time must be within {@link #WINDOW_MILLIS} of the truck's clock,
 *       either way (the bound the nodes use for block times).
 *   <li><b>Newer.</b> Its time must be later than that of the last need taken from the same node
 *       (kid), so a captured need cannot be replayed. The last times live in memory only: after a
 *       truck restart a need seen before can be served once more while it is still fresh.
 *   <li><b>Coalesced.</b> Per node, at most one resend per {@link #INTERVAL_MILLIS}: a need that
 *       arrives sooner is not dropped but merged (lowest height wins) into one deferred resend at
 *       the end of the interval, so a node that legitimately asks twice still gets what it asked.
 * </ul>
 *
 * <p>Not thread-safe: the proposer's thread owns it.
 */
final class NeedGate {
  /** How far a need's time may be from the truck's clock. */
  static final long WINDOW_MILLIS = ProposalChecker.MAX_SKEW_MILLIS;

  /** At most one resend per node in this interval. */
  static final long INTERVAL_MILLIS = 1000;

  /** What to do with one need. */
  sealed interface Decision {}

  /** Resend from {@code fromHeight} now. */
  record ServeNow(long fromHeight) implements Decision {}

  /**
   * Merged into a deferred resend; {@code schedule} says whether this need opened it (the caller
   * then runs {@link #takeDeferred} after {@code delayMillis}).
   */
  record Deferred(boolean schedule, long delayMillis) implements Decision {}

  /** Not served, and why ({@code stale} or {@code replayed}). */
  record Refused(String reason, String detail) implements Decision {}

  /** A deferred resend that is due: from which height, and how many needs it stands for. */
  record Due(long fromHeight, int needs) {}

  private final Map<Kid, Long> newestTime = new HashMap<>();
  private final Map<Kid, Long> lastServed = new HashMap<>();
  private final Map<Kid, Due> deferred = new HashMap<>();

  Decision admit(Kid kid, long needTime, long fromHeight, long nowMillis) {
    if (Math.abs(nowMillis - needTime) > WINDOW_MILLIS) {
      return new Refused(
          "stale", "need time " + needTime + " is over " + WINDOW_MILLIS + " ms from " + nowMillis);
    }
    Long newest = newestTime.get(kid);
    if (newest != null && needTime <= newest) {
      return new Refused(
          "replayed", "need time " + needTime + " is not after the last taken, " + newest);
    }
    newestTime.put(kid, needTime);
    Due waiting = deferred.get(kid);
    if (waiting != null) {
      deferred.put(kid, new Due(Math.min(waiting.fromHeight(), fromHeight), waiting.needs() + 1));
      return new Deferred(false, 0);
    }
    Long served = lastServed.get(kid);
    if (served == null || nowMillis - served >= INTERVAL_MILLIS || nowMillis < served) {
      lastServed.put(kid, nowMillis);
      return new ServeNow(fromHeight);
    }
    deferred.put(kid, new Due(fromHeight, 1));
    return new Deferred(true, served + INTERVAL_MILLIS - nowMillis);
  }

  /** The deferred resend of {@code kid}, now due; it counts as served at {@code nowMillis}. */
  Due takeDeferred(Kid kid, long nowMillis) {
    lastServed.put(kid, nowMillis);
    return deferred.remove(kid);
  }
}
