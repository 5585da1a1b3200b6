package io.haulproof.agent.runtime;

/**
 * One sensor input: a transport (serial port, pty, in-memory stream, gpsd) with the drivers'
 * parsers behind it. Its loop blocks on reads, so the runtime runs it on a dedicated worker thread.
 */
public interface SensorSource {
  /** Short name used in metrics and threads, e.g. {@code scale}, {@code rfid-rear}, {@code gps}. */
  String name();

  /**
   * Blocking: opens the transport; throws when it cannot. The runtime then reports the reason in
   * readiness and retries with backoff; startup never fails on it.
   */
  void open() throws Exception;

  /** Blocking: reads and decodes until {@link #close()} is called or the input ends. */
  void run(SensorSink sink) throws Exception;

  /**
   * The transport's state, read by health checks from any thread; sources that cannot tell are
   * always up. A source whose link is {@code DOWN} is not delivering (readiness); {@code DEAD}
   * means its reader loop died (liveness).
   */
  default LinkStatus link() {
    return LinkStatus.up("open");
  }

  /** Unblocks {@link #run} and releases the transport; callable from any thread. */
  void close();
}
