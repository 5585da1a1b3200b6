package io.haulproof.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haulproof.ledger.LedgerServer;
import io.haulproof.lightchain.crypto.Kid;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code haulproof ledger}: the reference central ledger and witness (DESIGN.md "CLI"), running
 * until SIGTERM.
 *
 * <p>Prints {@code {"ledger":"running",…}} once started and {@code {"ledger":"stopped",…}} with its
 * counters on exit.
 */
@Command(
    name = "ledger",
    description = "Run the reference central ledger and witness until SIGTERM.",
    mixinStandardHelpOptions = true)
final class LedgerCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;

  @picocli.CommandLine.Mixin LedgerCoapOptions coap;

  @Option(
      names = "--broker",
      required = true,
      description = "MQTT broker URL, tcp://host:port or ssl://host:port")
  String broker;

  @Option(names = "--data-dir", required = true, description = "Ledger data directory")
  Path dataDir;

  @Option(names = "--http", description = "Auditor HTTP API port on loopback (0 = any free port)")
  Integer http;

  @Option(
      names = "--audit-token-file",
      description =
          "File (mode 0600) with the auditors' bearer token: collections, bundles, the PAYT export"
              + " entry reads and the dashboard's data then need 'Authorization: Bearer <token>'"
              + " (the dashboard asks for it; default: open on loopback)")
  Path auditTokenFile;

  @Option(
      names = "--trust-anchor",
      description = "Fleet CA certificate PEM (default DIR/trust/fleet-ca.pem)")
  Path trustAnchor;

  @Option(
      names = "--devices",
      description = "Directory of device certificate PEMs (default DIR/devices)")
  Path devices;

  @Option(
      names = "--db",
      description =
          "Database: postgresql://user@host:port/db (password from PGPASSWORD) for many"
              + " instances; default SQLite DIR/ledger.db")
  String db;

  @Option(
      names = "--fleet",
      description = "Fleet of device certificates that name none (subject OU); default: none")
  String fleet;

  @Option(
      names = "--share-group",
      defaultValue = "haulproof-ledger",
      description = "MQTT 5 shared-subscription group the instances of one ledger split work in")
  String shareGroup;

  @Option(names = "--client-id", defaultValue = "haulproof-ledger", description = "MQTT client id")
  String clientId;

  @Option(
      names = "--witness-name",
      defaultValue = "haulproof-witness",
      description = "Witness name in receipts")
  String witnessName;

  @Mixin TlsOptions tls;

  /** Released to stop the command (SIGTERM through the shutdown hook, or tests). */
  final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String tlsProblem = tls.problem(broker);
    if (tlsProblem != null) {
      err.println("haulproof ledger: " + tlsProblem);
      return Main.EXIT_USAGE;
    }
    LedgerServer.Options o =
        new LedgerServer.Options(
            broker,
            dataDir,
            http == null ? -1 : http,
            trustAnchor != null ? trustAnchor : dataDir.resolve("trust/fleet-ca.pem"),
            devices != null ? devices : dataDir.resolve("devices"),
            clientId,
            witnessName,
            tls.ca,
            tls.cert,
            tls.key,
            db,
            fleet,
            shareGroup,
            auditTokenFile);
    if (coap.problem() != null) {
      err.println("haulproof ledger: " + coap.problem());
      return Main.EXIT_USAGE;
    }
    LedgerServer server;
    io.haulproof.ledger.coap.CoapLedgerEndpoint coapEndpoint;
    try {
      server = LedgerServer.start(o);
    } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
      err.println("haulproof ledger: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    try {
      coapEndpoint = coap.start(server.ledger());
    } catch (RuntimeException e) {
      server.close();
      err.println("haulproof ledger: CoAP: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
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
            "ledger-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      ObjectNode started = JSON.createObjectNode();
      started.put("ledger", "running");
      started.put("broker", broker);
      started.put("http", server.httpPort());
      started.put("witness", witnessName);
      started.put("witness_kid", Kid.of(server.ledger().witnessPublicKey()).toHex());
      started.put("devices", server.ledger().registry().deviceCount());
      if (coapEndpoint != null) {
        started.put("coaps", coapEndpoint.dtlsPort());
        started.put("coap", coapEndpoint.plainPort());
      }
      out.println(JSON.writeValueAsString(started));
      out.flush();
      stop.await();
      ObjectNode done = JSON.createObjectNode();
      done.put("ledger", "stopped");
      server.ledger().counters().forEach(done::put);
      if (coapEndpoint != null) {
        coapEndpoint.close();
      }
      server.close();
      out.println(JSON.writeValueAsString(done));
      out.flush();
      return 0;
    } finally {
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down (SIGTERM): the hook is running and waits for us.
      }
    }
  }
}
