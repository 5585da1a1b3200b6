package io.haulproof.ledger.testing;

import io.haulproof.ledger.LedgerServer;
import io.haulproof.ledger.LedgerService;
import java.nio.file.Path;

/**
 * {@code haulproof ledger} for tests that need the ledger in its own process (kill -9, several
 * instances): args {@code BROKER DATA_DIR TRUST_ANCHOR FLEET DB|- CLIENT_ID}. Prints {@code
 * {"ledger":"subscribed","http":PORT}} once every subscription is acknowledged.
 */
public final class LedgerMain {
  private LedgerMain() {}

  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args[1]);
    LedgerServer.Options o =
        new LedgerServer.Options(
            args[0],
            dataDir,
            0,
            Path.of(args[2]),
            dataDir.resolve("devices"),
            args[5],
            "haulproof-witness",
            null,
            null,
            null,
            args[4].equals("-") ? null : args[4],
            args[3],
            LedgerService.DEFAULT_GROUP,
            null);
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
