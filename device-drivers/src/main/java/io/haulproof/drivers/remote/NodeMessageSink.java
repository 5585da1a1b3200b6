package io.haulproof.drivers.remote;

/**
 * Receives verified node messages from a receiver thread (Californium or Paho); implementations
 * hand the work off (e.g. to the agent's context) and return quickly.
 */
@FunctionalInterface
public interface NodeMessageSink {
  void accept(VerifiedNodeMessage message);
}
