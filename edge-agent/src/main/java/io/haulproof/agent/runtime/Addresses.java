package io.haulproof.agent.runtime;

/** Event-bus addresses between the agent's verticles (local only, never clustered). */
public final class Addresses {
  /** {@link io.haulproof.agent.lift.TagRead} from an RFID driver. */
  public static final String TAG = "hp.reading.tag";

  /** {@link io.haulproof.agent.lift.Weighing} from the scale driver. */
  public static final String WEIGHING = "hp.reading.weighing";

  /** {@link io.haulproof.agent.lift.GnssFix} from the GNSS driver. */
  public static final String FIX = "hp.reading.fix";

  /** {@link CrewInput} from the crew terminal or the status page. */
  public static final String CREW = "hp.crew.exception";

  /** {@link RouteChange} from management. */
  public static final String ROUTE = "hp.route";

  /**
   * {@link io.haulproof.agent.lift.CollectionEvent} to the single log writer; the reply is the
   * append result.
   */
  public static final String APPEND = "hp.log.append";

  private Addresses() {}
}
