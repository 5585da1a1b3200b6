package io.haulproof.agent.runtime;

import io.haulproof.agent.lift.GnssFix;
import io.haulproof.agent.lift.TagRead;
import io.haulproof.agent.lift.Weighing;
import java.util.Map;

/**
 * Where a sensor source hands its decoded readings; thread-safe, callable from the source's own
 * thread.
 */
public interface SensorSink {
  void tag(TagRead tag);

  void weighing(Weighing weighing);

  void fix(GnssFix fix);

  /** A valid frame or sentence from {@code driver}, for metrics. */
  void accepted(String driver);

  /** A rejected frame or sentence from {@code driver}, for metrics; never fatal. */
  void rejected(String driver);

  /** The latest live value of a sensor, for the status page. */
  void live(String sensor, Map<String, Object> value);
}
