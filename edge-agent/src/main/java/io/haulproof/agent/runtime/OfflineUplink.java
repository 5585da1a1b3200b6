package io.haulproof.agent.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * The uplink of an agent configured without one: nothing leaves the device, and the status page and
 * metrics say how much evidence is waiting (the whole log), rather than pretending it was
 * delivered.
 */
public final class OfflineUplink implements UplinkPort {
  private final LongSupplier logSize;

  public OfflineUplink(LongSupplier logSize) {
    this.logSize = logSize;
  }

  @Override
  public CompletionStage<Void> start() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void poke() {}

  @Override
  public Stats stats() {
    return new Stats(false, logSize.getAsLong(), 0, 0, 0, null, null);
  }

  @Override
  public CompletionStage<Void> stop() {
    return CompletableFuture.completedFuture(null);
  }
}
