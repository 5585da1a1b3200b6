package io.haulproof.agent.runtime;

import io.haulproof.agent.health.AgentMetrics;
import io.haulproof.agent.health.HealthRegistry;
import io.haulproof.agent.health.HealthStatus;
import io.haulproof.agent.lift.CollectionEvent;
import io.haulproof.agent.lift.GnssFix;
import io.haulproof.agent.lift.LiftAssembler;
import io.haulproof.agent.lift.TagRead;
import io.haulproof.agent.lift.Weighing;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs the {@link LiftAssembler} on one event-loop context: readings in from the drivers,
 * collection events out to the single log writer, in order. Pure in-memory logic, so nothing here
 * blocks.
 */
final class LiftVerticle extends AbstractVerticle {
  private static final long TICK_MS = 250;

  private final Function<Consumer<CollectionEvent>, LiftAssembler> factory;
  private final AgentMetrics metrics;
  private final HealthRegistry health;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private LiftAssembler assembler;
  private long timer = -1;
  private long inFlight;
  private long seenJumps;
  private Promise<Void> drained;

  LiftVerticle(
      Function<Consumer<CollectionEvent>, LiftAssembler> factory,
      AgentMetrics metrics,
      HealthRegistry health) {
    this.factory = factory;
    this.metrics = metrics;
    this.health = health;
  }

  @Override
  public void start(Promise<Void> started) {
    assembler = factory.apply(this::toLog);
    consumers.add(
        vertx.eventBus().<TagRead>localConsumer(Addresses.TAG, m -> assembler.onTag(m.body())));
    consumers.add(
        vertx
            .eventBus()
            .<Weighing>localConsumer(Addresses.WEIGHING, m -> assembler.onWeighing(m.body())));
    consumers.add(
        vertx.eventBus().<GnssFix>localConsumer(Addresses.FIX, m -> assembler.onFix(m.body())));
    consumers.add(
        vertx
            .eventBus()
            .<CrewInput>localConsumer(
                Addresses.CREW,
                m -> assembler.onException(m.body().code(), m.body().containerId())));
    consumers.add(
        vertx
            .eventBus()
            .<RouteChange>localConsumer(
                Addresses.ROUTE, m -> assembler.setRoute(m.body().tour(), m.body().crew())));
    timer = vertx.setPeriodic(TICK_MS, id -> tick());
    health.register(
        "clock",
        () ->
            assembler.timeKeeper().clockJumps() == 0
                ? HealthStatus.up("no wall-clock step seen")
                : HealthStatus.degraded(
                    assembler.timeKeeper().clockJumps()
                        + " wall-clock step(s), last "
                        + assembler.timeKeeper().lastJumpMs()
                        + " ms"));
    Future.all(consumers.stream().map(MessageConsumer::completion).toList())
        .<Void>mapEmpty()
        .onComplete(started);
  }

  private void tick() {
    assembler.tick();
    long jumps = assembler.timeKeeper().clockJumps();
    while (seenJumps < jumps) {
      metrics.clockJump();
      seenJumps++;
    }
  }

  private void toLog(CollectionEvent event) {
    inFlight++;
    vertx
        .eventBus()
        .request(Addresses.APPEND, event)
        .onComplete(
            r -> {
              inFlight--;
              if (inFlight == 0 && drained != null) {
                drained.tryComplete();
              }
            });
  }

  /**
   * Records whatever is pending, then waits until every event sent to the log writer is answered.
   */
  @Override
  public void stop(Promise<Void> stopped) {
    vertx.cancelTimer(timer);
    Future.all(consumers.stream().map(MessageConsumer::unregister).toList())
        .onComplete(
            x -> {
              assembler.flush();
              drained = Promise.promise();
              if (inFlight == 0) {
                drained.complete();
              }
              drained.future().onComplete(stopped);
            });
  }
}
