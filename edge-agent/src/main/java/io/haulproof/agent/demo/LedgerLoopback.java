package io.haulproof.agent.demo;

import io.haulproof.ledger.Ledger;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.mqtt.MqttMessage;
import io.haulproof.uplink.mqtt.MqttSession;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.mqtt.MqttTransport;
import io.haulproof.uplink.wire.ReceiptMessage;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo's in-process witness: an {@link MqttTransport} that hands what the device's real uplink
 * publishes straight to the reference {@link Ledger} (as the ledger service would receive it from a
 * broker) and answers checkpoints on the {@code receipts} topic. The uplink, outbox and checkpoint
 * publisher above it are the production ones.
 */
public final class LedgerLoopback implements MqttTransport, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LedgerLoopback.class);

  private final Ledger ledger;
  private final ExecutorService broker =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "demo-witness");
            t.setDaemon(true);
            return t;
          });
  private final AtomicLong rejected = new AtomicLong();

  public LedgerLoopback(Ledger ledger) {
    this.ledger = ledger;
  }

  /** Entries the ledger refused (none in a healthy demo). */
  public long rejected() {
    return rejected.get();
  }

  @Override
  public PendingConnect connect(MqttSettings settings, Listener listener) {
    Session s = new Session(listener);
    return new PendingConnect() {
      @Override
      public CompletableFuture<MqttSession> session() {
        return CompletableFuture.completedFuture(s);
      }

      @Override
      public void abandon() {
        s.close();
      }
    };
  }

  @Override
  public void close() {
    broker.shutdownNow();
  }

  private final class Session implements MqttSession {
    private final Listener listener;
    private volatile boolean open = true;

    Session(Listener listener) {
      this.listener = listener;
    }

    @Override
    public CompletableFuture<Void> publish(MqttMessage m) {
      if (!open) {
        return CompletableFuture.failedFuture(new IOException("loopback session closed"));
      }
      // Like a broker: the publisher gets its PUBACK once the ledger has handled the message.
      return CompletableFuture.runAsync(() -> deliver(m), broker);
    }

    private void deliver(MqttMessage m) {
      Topics.Parsed p = Topics.parse(m.topic());
      try {
        switch (p.leaf()) {
          case "entries" -> {
            try {
              ledger.acceptEntry(p.topics(), m.userProperty("index"), m.payload());
            } catch (Ledger.RejectedEntryException e) {
              rejected.incrementAndGet();
              LOG.warn("witness rejected entry: {}", e.getMessage());
            }
          }
          case "checkpoints" -> {
            ReceiptMessage r = ledger.acceptCheckpoint(p.topics(), m.payload());
            MqttMessage receipt =
                MqttMessage.of(p.topics().receipts(), ledger.sealReceipt(m.payload(), r));
            broker.execute(
                () -> {
                  try {
                    if (open) {
                      listener.onMessage(receipt).toCompletableFuture().join();
                    }
                  } catch (Exception e) {
                    LOG.warn("device did not take the receipt: {}", e.toString());
                  }
                });
          }
          default -> {
            // status (birth message) and anything else: nobody in the demo listens
          }
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }

    @Override
    public CompletableFuture<Void> subscribe(String filter, int qos) {
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public boolean isConnected() {
      return open;
    }

    @Override
    public void close() {
      open = false;
    }
  }
}
