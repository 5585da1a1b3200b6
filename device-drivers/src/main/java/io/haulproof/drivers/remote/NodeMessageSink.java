package io.haulproof.drivers.remote;

import java.util.concurrent.CompletionStage;

/**
 * Receives verified node messages from a receiver thread (Californium or Paho) and stores them;
 * implementations hand the work off (e.g. to the agent's context) and return quickly.
 */
@FunctionalInterface
public interface NodeMessageSink {
  /**
   * Stores {@code message}; the stage completes once it is durable (the receiver acknowledges the
   * node only then), or exceptionally if it cannot be stored now (the receiver tells the node to
   * retry later, and the node's counter is given back so the retry is not a replay).
   */
  CompletionStage<Void> accept(VerifiedNodeMessage message);
}
