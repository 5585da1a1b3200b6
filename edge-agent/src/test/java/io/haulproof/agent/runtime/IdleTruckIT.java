package io.haulproof.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.agent.demo.DemoWitness;
import io.haulproof.agent.provision.FleetCa;
import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.LightchainOptions;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.Kid;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.uplink.MqttUplink;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.checkpoint.CheckpointPublisher;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.outbox.Outbox;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An idle, connected truck writes no steady stream of entries (issue 11): the real lightchain, the
 * real uplink (outbox, checkpoint publisher) and the reference ledger as witness, connected through
 * the in-process loopback transport. Time is compressed: the publisher runs every 200 ms instead of
 * every 10 s (x50), so the 30 s idle window stands for 25 minutes on the road. Before the fix every
 * cosignature was logged as a receipt entry, which closed a block, whose checkpoint the witness
 * cosigned again: one receipt, one block and one checkpoint per publisher interval, forever (360
 * entries per idle hour at the default 10 s).
 */
class IdleTruckIT {
  private static final String FLEET = "idle-fleet";
  private static final String DEVICE = "idle-truck-1";
  private static final Duration PUBLISH_EVERY = Duration.ofMillis(200);
  private static final Duration IDLE = Duration.ofSeconds(30);

  @TempDir Path dir;

  private static void waitUntil(BooleanSupplier c, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!c.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void idleConnectedTruck_afterALiftIsWitnessed_writesNoFurtherEntries() throws Exception {
    DeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    FleetCa ca = DemoWitness.fleetCa(dir, FLEET);
    X509Certificate cert = DemoWitness.certify(ca, key, DEVICE);
    try (DemoWitness witness = DemoWitness.open(dir, ca, cert);
        Lightchain chain =
            Lightchain.open(
                dir.resolve("data"),
                key,
                DEVICE,
                LightchainOptions.defaults(Checkpoint.originFor(FLEET, DEVICE)))) {
      MqttUplinkPort uplink =
          new MqttUplinkPort(
              chain,
              new MqttUplink.Config(
                  new Topics(FLEET, DEVICE),
                  MqttSettings.of("tcp://in-process.invalid:1883", "haulproof-" + DEVICE),
                  dir.resolve("uplink"),
                  Outbox.Settings.defaults(),
                  new CheckpointPublisher.Settings(PUBLISH_EVERY, 256),
                  witness.ledger().witnessPublicKey(),
                  "it",
                  Kid.of(key.publicKey()).toHex()),
              witness.transport());
      uplink.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
      try {
        // a lift, cut into a block, checkpointed, cosigned, and the cosignature logged
        chain
            .append(io.haulproof.lightchain.entry.SampleEntries.collection())
            .get(30, TimeUnit.SECONDS);
        waitUntil(() -> uplink.receipts() >= 1, "the witness's receipt to be logged");
        waitUntil(() -> chain.deferredBlocks() >= 1, "the receipt to wait for a later block");
        long entries = chain.log().size();
        long blocks = chain.blockCount();
        long published = uplink.uplink().checkpoints().publishedCount();

        // idle, connected: this fixed window is the test (no entry may come); it ends on the first
        long end = System.nanoTime() + IDLE.toNanos();
        while (System.nanoTime() < end && chain.log().size() == entries) {
          Thread.sleep(50);
        }

        long written = chain.log().size() - entries;
        double compression = Duration.ofSeconds(10).toMillis() / (double) PUBLISH_EVERY.toMillis();
        double perIdleHour = written * 3600.0 / (IDLE.toSeconds() * compression);
        System.err.printf(
            "IdleTruckIT: %d entries, %d blocks, %d checkpoints published in %d s idle"
                + " (x%.0f: %.1f entries per idle hour)%n",
            written,
            chain.blockCount() - blocks,
            uplink.uplink().checkpoints().publishedCount() - published,
            IDLE.toSeconds(),
            compression,
            perIdleHour);
        assertThat(written).as("entries written while idle").isZero();
        assertThat(chain.blockCount()).isEqualTo(blocks);
        assertThat(uplink.receipts()).isEqualTo(1);
      } finally {
        uplink.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }
}
