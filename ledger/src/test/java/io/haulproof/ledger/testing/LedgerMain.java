package io.haulproof.ledger.testing;

import io.haulproof.ledger.LedgerServer;
import java.nio.file.Path;

/**
 * {@code haulproof ledger} for tests that need the ledger in its own process (kill -9, several
 * instances): args {@code BROKER DATA_DIR TRUST_ANCHOR FLEET DB|- CLIENT_ID}. Prints {@code
 * {"ledger":"subscribed","http":PORT}} once every subscription is acknowledged.
 */
public final class LedgerMain {
  private LedgerMain() {}

  public static void main(String[] args) throws Exception {
    LedgerServer.Options o =
        LedgerServer.Options.of(args[0], Path.of(args[1]), 0)
            .withFleet(args[3])
            .withDb(args[4].equals("-") ? null : args[4])
            .withClientId(args[5]);
    o =
        new LedgerServer.Options(
            o.brokerUrl(),
            o.dataDir(),
            o.httpPort(),
            Path.of(args[2]),
            o.devicesDir(),
            o.clientId(),
            o.witnessName(),
            null,
            null,
            null,
            o.db(),
            o.fleet(),
            o.shareGroup());
    LedgerServer s = LedgerServer.start(o);
    while (s.connection().connects() < 1) {
      Thread.onSpinWait();
      Thread.sleep(5);
    }
    System.out.println("{\"ledger\":\"subscribed\",\"http\":" + s.httpPort() + "}");
    System.out.flush();
    Thread.currentThread().join();
  }
}
