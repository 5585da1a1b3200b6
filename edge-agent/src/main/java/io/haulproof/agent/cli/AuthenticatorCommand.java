package io.haulproof.agent.cli;

import io.haulproof.authenticator.node.AuthenticatorNode;
import io.haulproof.authenticator.node.NodeIdentity;
import io.haulproof.uplink.mqtt.ConnectionSupervisor;
import io.haulproof.uplink.mqtt.MqttSettings;
import io.haulproof.uplink.mqtt.PahoTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code haulproof authenticator --broker URL --data-dir DIR [--tls-ca PEM [--tls-cert PEM
 * --tls-key PEM]]}: a PoAh authenticator node run by one party (DESIGN.md "CLI"; docs/chain.md),
 * until SIGTERM.
 *
 * <p>The data dir holds the node's identity ({@link NodeIdentity}: fleet, pinned fleet root, its
 * key and its authenticator-role certificate; {@code haulproof provision authenticator} creates it)
 * and one small state file per chain. Every decision is one JSON line on stdout: {@code
 * {"event":"ready",…}}, {@code "signed"}, {@code "rejected"} (with rule and reason), {@code
 * "need"}, {@code "equivocation"}.
 */
@Command(
    name = "authenticator",
    description = "Run a PoAh authenticator node until SIGTERM.",
    mixinStandardHelpOptions = true)
final class AuthenticatorCommand implements Callable<Integer> {
  @Option(
      names = "--broker",
      required = true,
      description = "MQTT broker URL, ssl://host:port (with --tls-ca) or tcp://host:port")
  String broker;

  @Mixin TlsOptions tls;

  @Option(names = "--data-dir", required = true, description = "Authenticator data directory")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(dataDir)) {
      System.err.println("haulproof authenticator: no such data dir " + dataDir);
      return Main.EXIT_USAGE;
    }
    NodeIdentity id;
    try {
      id = NodeIdentity.open(dataDir);
    } catch (IOException | RuntimeException e) {
      System.err.println("haulproof authenticator: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    String problem = tls.problem(broker);
    if (problem != null) {
      System.err.println("haulproof authenticator: " + problem);
      return Main.EXIT_USAGE;
    }
    MqttSettings settings;
    try {
      settings =
          tls.apply(
              MqttSettings.of(broker, "haulproof-authenticator-" + id.key().kid().toHex())
                  .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5)));
      settings.requireUsable();
    } catch (IllegalArgumentException | IOException | GeneralSecurityException e) {
      System.err.println("haulproof authenticator: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    ConnectionSupervisor mqtt = new ConnectionSupervisor(new PahoTransport(), settings);
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                stopped.await();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "authenticator-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try (AuthenticatorNode node =
        new AuthenticatorNode(id, dataDir, mqtt, JsonLines::print, System::currentTimeMillis)) {
      node.start();
      stop.await();
      Map<String, Object> done = new LinkedHashMap<>();
      done.put("event", "stopped");
      done.put("signed", node.signedCount());
      done.put("rejected", node.rejectedCount());
      JsonLines.print(done);
      return 0;
    } finally {
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down already: the hook waits for us
      }
    }
  }
}
