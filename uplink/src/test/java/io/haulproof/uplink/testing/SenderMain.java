package io.haulproof.uplink.testing;

import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.uplink.MqttUplink;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.checkpoint.CheckpointPublisher;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.outbox.Outbox;
import io.haulproof.uplink.wire.ReceiptMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A device process for kill -9 tests: builds the deterministic {@link SignedLog} of (device, seed,
 * count), checkpoints it, and runs an {@link MqttUplink} until killed, printing {@code cursor N}
 * lines, and {@code receipt SIZE} and {@code stored N} (the receipt's entries_stored) per receipt.
 *
 * <p>Arguments: brokerUrl stateDir fleet device seed count witnessPubPem bytesPerSecond [chunk].
 * With {@code chunk}, the log grows by {@code chunk} entries and a checkpoint every 200 ms instead
 * of being written whole at the start, so receipts report growing entries_stored.
 */
public final class SenderMain {
  private SenderMain() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    Path state = Path.of(args[1]);
    String fleet = args[2];
    String device = args[3];
    long seed = Long.parseLong(args[4]);
    int count = Integer.parseInt(args[5]);
    var witness = PublicKeys.fromPem(Files.readString(Path.of(args[6])));
    long bandwidth = Long.parseLong(args[7]);
    int chunk = args.length > 8 ? Integer.parseInt(args[8]) : count;
    SignedLog log = new SignedLog(device, seed);
    log.append(chunk);
    log.checkpoint(fleet);
    MqttSettings s =
        MqttSettings.of(url, device)
            .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(20))
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1));
    MqttUplink up =
        new MqttUplink(
            new MqttUplink.Config(
                new Topics(fleet, device),
                s,
                state,
                Outbox.Settings.defaults().withBandwidth(bandwidth),
                new CheckpointPublisher.Settings(Duration.ofMillis(500), 500),
                witness,
                "test",
                log.key().kid().toHex()),
            log,
            log,
            new CheckpointPublisher.ReceiptListener() {
              @Override
              public void cosigned(ReceiptMessage.Cosigned r) {
                System.out.println("receipt " + r.size());
                System.out.println("stored " + r.entriesStored());
              }
            });
    System.out.println("start " + up.outbox().cursor()); // where this run resumes sending
    System.out.flush();
    up.start();
    while (log.size() < count) {
      Thread.sleep(200);
      log.append((int) Math.min(chunk, count - log.size()));
      log.checkpoint(fleet);
    }
    while (true) {
      System.out.println("cursor " + up.outbox().cursor());
      System.out.flush();
      Thread.sleep(100);
    }
  }
}
