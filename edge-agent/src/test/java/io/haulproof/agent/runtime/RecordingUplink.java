package io.haulproof.agent.runtime;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An uplink for runtime tests that records when it was started and stopped into the evidence call
 * list.
 */
final class RecordingUplink implements UplinkPort {
  private final List<String> calls;
  volatile int pokes;
  volatile long witnessConflicts;
  volatile String lastWitnessConflict;

  RecordingUplink(List<String> calls) {
    this.calls = calls;
  }

  @Override
  public CompletionStage<Void> start() {
    calls.add("uplink start");
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void poke() {
    pokes++;
  }

  @Override
  public Stats stats() {
    return new Stats(false, 0, 0, 0, 0, null, null, witnessConflicts, lastWitnessConflict);
  }

  @Override
  public CompletionStage<Void> stop() {
    calls.add("uplink stop");
    return CompletableFuture.completedFuture(null);
  }
}
