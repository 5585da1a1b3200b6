package io.haulproof.authenticator.truck;

import io.haulproof.authenticator.wire.PoahCodec;
import io.haulproof.authenticator.wire.PoahWire;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.crypto.Kid;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The truck's handling of what authenticators say besides authentications: {@code rejection} and
 * {@code need}. Each is believed only when {@link ReplyCheck} attributes it to a trusted member of
 * the set in force; a need is then served only as {@link NeedGate} allows. Anything else is counted
 * and reported ({@code bad_rejection}, {@code bad_need}, with a reason) and does nothing else.
 *
 * <p>Events: {@code rejection} (height, kid, rule, reason), {@code need_served} (kid, from_height,
 * blocks proposed again, needs it stands for), {@code bad_rejection} / {@code bad_need} (kid when
 * decodable, height, reason, detail). Needs are handled on the proposer's thread (the one {@code
 * scheduler} runs); rejections on any.
 */
final class NodeReplies {
  private static final Logger LOG = LoggerFactory.getLogger(NodeReplies.class);

  /** Proposes again from a height up to the last sealed block; returns how many. */
  @FunctionalInterface
  interface Resender {
    long resendFrom(long from) throws IOException;
  }

  private final ReplyCheck check;
  private final String chainId;
  private final LongSupplier clock;
  private final ScheduledExecutorService scheduler;
  private final LongSupplier lastSealed;
  private final Resender resender;
  private final Consumer<Map<String, Object>> events;
  private final NeedGate gate = new NeedGate(); // scheduler thread
  private final AtomicLong badRejections = new AtomicLong();
  private final AtomicLong badNeeds = new AtomicLong();
  private final AtomicLong resends = new AtomicLong();

  /**
   * @param clock the truck's clock (Unix ms), against which a need must be fresh
   * @param scheduler the proposer's single thread, where {@link #onNeed} runs and deferred resends
   *     are scheduled
   * @param lastSealed the height of the last sealed block, −1 for none
   */
  NodeReplies(
      ReplyCheck check,
      String chainId,
      LongSupplier clock,
      ScheduledExecutorService scheduler,
      LongSupplier lastSealed,
      Resender resender,
      Consumer<Map<String, Object>> events) {
    this.check = check;
    this.chainId = chainId;
    this.clock = clock;
    this.scheduler = scheduler;
    this.lastSealed = lastSealed;
    this.resender = resender;
    this.events = events;
  }

  /** Reported only when a trusted member of the set signed it; never acted on. */
  void onRejection(Bytes payload) {
    PoahWire.Rejection r;
    try {
      if (!(PoahCodec.decode(payload) instanceof PoahWire.Rejection x)) {
        bad("bad_rejection", badRejections, null, MALFORMED, null);
        return;
      }
      r = x;
    } catch (CborException e) {
      bad("bad_rejection", badRejections, null, malformed(e), null);
      return;
    }
    if (check.rejection(r) instanceof ReplyCheck.Refused no) {
      bad("bad_rejection", badRejections, r.authenticator(), no, r.height());
      return;
    }
    Map<String, Object> e = event("rejection");
    e.put("height", r.height());
    e.put("kid", r.authenticator().toHex());
    e.put("rule", r.rule());
    e.put("reason", r.reason());
    events.accept(e);
  }

  /** On the proposer's thread: serves the need if attributed, fresh, newer, and not too soon. */
  void onNeed(Bytes payload) {
    try {
      PoahWire.Need n;
      try {
        if (!(PoahCodec.decode(payload) instanceof PoahWire.Need x)) {
          bad("bad_need", badNeeds, null, MALFORMED, null);
          return;
        }
        n = x;
      } catch (CborException e) {
        bad("bad_need", badNeeds, null, malformed(e), null);
        return;
      }
      if (check.need(n, lastSealed.getAsLong()) instanceof ReplyCheck.Refused no) {
        bad("bad_need", badNeeds, n.authenticator(), no, n.fromHeight());
        return;
      }
      Kid kid = n.authenticator();
      NeedGate.Decision d = gate.admit(kid, n.timeMillis(), n.fromHeight(), clock.getAsLong());
      if (d instanceof NeedGate.Refused no) {
        bad(
            "bad_need",
            badNeeds,
            kid,
            new ReplyCheck.Refused(no.reason(), no.detail()),
            n.fromHeight());
      } else if (d instanceof NeedGate.ServeNow now) {
        resend(kid, now.fromHeight(), 1);
      } else if (d instanceof NeedGate.Deferred later && later.schedule()) {
        scheduler.schedule(
            () -> {
              NeedGate.Due due = gate.takeDeferred(kid, clock.getAsLong());
              resend(kid, due.fromHeight(), due.needs());
            },
            later.delayMillis(),
            TimeUnit.MILLISECONDS);
      }
    } catch (RuntimeException e) {
      LOG.warn("need message not served: {}", e.toString());
    }
  }

  private void resend(Kid kid, long from, int needs) {
    try {
      long n = resender.resendFrom(from);
      resends.incrementAndGet();
      Map<String, Object> e = event("need_served");
      e.put("kid", kid.toHex());
      e.put("from_height", from);
      e.put("blocks", n);
      e.put("needs", needs);
      events.accept(e);
    } catch (IOException | RuntimeException e) {
      LOG.warn("need from height {} not served: {}", from, e.toString());
    }
  }

  private static final ReplyCheck.Refused MALFORMED =
      new ReplyCheck.Refused("malformed", "another message type on this topic");

  private static ReplyCheck.Refused malformed(CborException e) {
    return new ReplyCheck.Refused("malformed", e.getMessage());
  }

  /** Counts and reports a rejection or need that is not believed; nothing else happens. */
  private void bad(String kind, AtomicLong counter, Kid kid, ReplyCheck.Refused why, Long height) {
    counter.incrementAndGet();
    Map<String, Object> e = event(kind);
    if (kid != null) {
      e.put("kid", kid.toHex());
    }
    if (height != null) {
      e.put("height", height);
    }
    e.put("reason", why.reason());
    e.put("detail", String.valueOf(why.detail()));
    events.accept(e);
  }

  private Map<String, Object> event(String kind) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("event", kind);
    e.put("chain", chainId);
    return e;
  }

  long badRejections() {
    return badRejections.get();
  }

  long badNeeds() {
    return badNeeds.get();
  }

  long resends() {
    return resends.get();
  }
}
