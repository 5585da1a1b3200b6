package io.haulproof.agent.mgmt;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link ManagementAgent} under Vert.x: starting and closing happen on a named worker
 * executor, never on an event loop; the endpoint's own worker thread does all request handling
 * (fsync, log waits). Start completes once the connection attempts have begun; an unreachable
 * broker is retried in the background, not a startup failure.
 */
public final class ManagementVerticle extends AbstractVerticle {
  private final ManagementAgent agent;
  private WorkerExecutor executor;

  public ManagementVerticle(ManagementAgent agent) {
    this.agent = agent;
  }

  @Override
  public void start(Promise<Void> started) {
    executor = vertx.createSharedWorkerExecutor("mgmt", 1, 10, TimeUnit.MINUTES);
    executor
        .<Void>executeBlocking(
            () -> {
              agent.start();
              return null;
            })
        .onComplete(started);
  }

  @Override
  public void stop(Promise<Void> stopped) {
    executor
        .<Void>executeBlocking(
            () -> {
              agent.close();
              return null;
            })
        .onComplete(
            r -> {
              executor.close();
              stopped.handle(r);
            });
  }
}
