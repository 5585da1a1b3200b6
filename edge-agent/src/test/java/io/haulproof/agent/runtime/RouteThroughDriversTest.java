package io.haulproof.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.haulproof.agent.config.ChainConfig;
import io.haulproof.agent.demo.DemoRoute;
import io.haulproof.agent.demo.DemoTruck;
import io.haulproof.agent.demo.RouteSimulator;
import io.haulproof.agent.demo.Stop;
import io.haulproof.agent.lift.AgentClock;
import io.haulproof.agent.lift.CollectionEvent;
import io.haulproof.agent.lift.Outcome;
import io.haulproof.agent.lift.QualityFlag;
import io.haulproof.lightchain.entry.TimeSource;
import io.haulproof.lightchain.testing.Await;
import io.vertx.core.VertxOptions;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A simulated route as device bytes through the real drivers, sensor sources, runtime and lift
 * assembler.
 */
class RouteThroughDriversTest {
  private AgentRuntime runtime;

  @AfterEach
  void tearDown() {
    if (runtime != null) {
      runtime.stop().toCompletionStage().toCompletableFuture().join();
    }
  }

  @Test
  void route_twentyStops_givesOneEventPerStopWithTheRightOutcomeAndWeight() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(120),
        () -> {
          // given
          long interval = 300;
          DemoRoute route = DemoRoute.generate(7, 20, LocalDate.now(ZoneOffset.UTC));
          DemoTruck truck = new DemoTruck(interval, AgentClock.system());
          MemoryEvidence evidence = new MemoryEvidence();
          RuntimeParts parts =
              new RuntimeParts(
                  "demo-1",
                  AgentClock.system(),
                  truck.assemblerSettings("tour-1"),
                  DemoTruck.registry(route),
                  evidence,
                  null,
                  new RecordingUplink(evidence.calls),
                  truck.sensors(),
                  new ChainConfig(64, 1_000L, 60_000L),
                  null,
                  Notifier.none(),
                  0,
                  List.of());
          runtime = new AgentRuntime(parts, new VertxOptions());
          runtime.start().toCompletionStage().toCompletableFuture().join();
          RouteSimulator sim =
              new RouteSimulator(
                  route,
                  truck.gpsLine,
                  truck.rfidLine,
                  truck.scaleLine,
                  c -> runtime.vertx().eventBus().send(Addresses.CREW, c),
                  interval,
                  7);
          // when
          sim.run(n -> {});
          Await.until(
              () -> evidence.entries.size() >= 20,
              Duration.ofSeconds(120),
              "20 route entries",
              () -> evidence.entries.size() + " entries");
          // stopping drains the sources and the assembler: nothing can be added after it
          AgentRuntime stopped = runtime;
          runtime = null;
          stopped.stop().toCompletionStage().toCompletableFuture().join();
          // then
          List<CollectionEvent> events = evidence.entries;
          assertThat(events).hasSize(20);
          for (int i = 0; i < 20; i++) {
            Stop stop = route.stops().get(i);
            CollectionEvent e = events.get(i);
            switch (stop.kind()) {
              case EMPTIED -> {
                assertThat(e.outcome()).as("stop %d", i).isEqualTo(Outcome.EMPTIED);
                assertThat(e.container().id()).isEqualTo(stop.containerId());
                assertThat(e.weighing().net())
                    .isEqualByComparingTo(
                        BigDecimal.valueOf(stop.grossTenths() - stop.tareTenths(), 1));
                assertThat(e.flags()).as("stop %d", i).isEmpty();
              }
              case UNKNOWN_BIN -> assertThat(e.outcome()).isEqualTo(Outcome.BLOCKED_NOT_REGISTERED);
              case WRONG_DAY -> assertThat(e.outcome()).isEqualTo(Outcome.BLOCKED_WRONG_DAY);
              case EXCEPTION -> assertThat(e.outcome().name()).isEqualTo(stop.exception().name());
              case UNREADABLE_TAG -> {
                assertThat(e.flags()).contains(QualityFlag.NO_TAG);
                assertThat(e.weighing().net())
                    .isEqualByComparingTo(
                        BigDecimal.valueOf(stop.grossTenths() - stop.tareTenths(), 1));
              }
            }
            assertThat(e.time().source()).isEqualTo(TimeSource.GNSS);
            assertThat(e.position()).isNotNull();
          }
          assertThat(stopped.metrics().count("haulproof.rejects", "driver", "scale")).isZero();
          assertThat(stopped.metrics().count("haulproof.readings", "driver", "gps")).isPositive();
        });
  }
}
