package io.haulproof.agent.poah;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.haulproof.lightchain.testing.Await;
import io.haulproof.lightchain.testing.TestEntries;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Happy path of multi-node PoAh: a truck in this JVM and five {@code haulproof authenticator} nodes
 * as separate processes, talking only through a real Mosquitto. With 3 of them as the set (quorum
 * 2) and with all 5 (quorum 3), every block becomes final, and {@code chain verify} counts it.
 */
class PoahQuorumIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  @TempDir static Path dir;
  static PoahFixture fleet;

  @BeforeAll
  static void startFleet() throws Exception {
    fleet = new PoahFixture(dir, 5).startAll();
  }

  @AfterAll
  static void stopFleet() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
  }

  @Test
  void blocks_threeNodesQuorumTwo_everyBlockFinalAndCounted() throws Exception {
    runRoute("truck-3", 3, 2, 60);
  }

  @Test
  void blocks_fiveNodesQuorumThree_everyBlockFinalAndCounted() throws Exception {
    runRoute("truck-5", 5, 3, 60);
  }

  private void runRoute(String device, int members, int quorum, int entries) throws Exception {
    List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
    long blocks;
    try (PoahTruck truck = fleet.truck(device, events)) {
      // given: the signed configuration names the set and quorum
      truck.configure(fleet.operator, quorum, fleet.members(members));
      // when
      for (int i = 0; i < entries; i++) {
        truck.append(TestEntries.config(i));
      }
      truck.flush();
      blocks = truck.chain().blocks().size();
      // the tracker counts a block final just before the proposer emits its event: wait on both
      Await.until(
          () ->
              truck.proposer().pending() == 0
                  && truck.chain().blocks().size() == blocks
                  && finals(events) >= blocks,
          WAIT,
          "every block final and its event emitted");
      // then
      assertThat(blocks).isGreaterThanOrEqualTo(entries / 8);
      for (long h = 0; h < blocks; h++) {
        assertThat(truck.proposer().tracker().count(h))
            .as("height %d", h)
            .isGreaterThanOrEqualTo(quorum);
      }
      assertThat(finals(events)).as("one final event per block").isEqualTo(blocks);
    }
    // every member node signs every block of this chain (some after finality), each height once
    for (AuthenticatorProcess n : fleet.nodes.subList(0, members)) {
      n.await(
          "signed the last block of " + device,
          e ->
              e.path("event").asText().equals("signed")
                  && e.path("chain").asText().equals(device)
                  && e.path("height").asLong() == blocks - 1,
          WAIT);
      List<JsonNode> signed =
          n.events().stream()
              .filter(e -> e.path("event").asText().equals("signed"))
              .filter(e -> e.path("chain").asText().equals(device))
              .toList();
      assertThat(signed.stream().map(e -> e.get("height").asLong()).distinct().count())
          .as("%s signs each height once", n.name())
          .isEqualTo(signed.size())
          .isEqualTo(blocks);
    }
    JsonNode v = PoahFixture.verify(fleet.truckDir(device));
    assertThat(v.get("valid").asBoolean()).as(v.toString()).isTrue();
    assertThat(v.get("pending").asLong()).as(v.toString()).isZero();
    assertThat(v.get("min_quorum").asInt()).as(v.toString()).isGreaterThanOrEqualTo(quorum);
  }

  private static long finals(List<Map<String, Object>> events) {
    return events.stream().filter(e -> e.get("event").equals("final")).count();
  }
}
