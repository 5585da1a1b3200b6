package io.haulproof.ledger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A ledger on SQLite under {@code dir} (witness key in {@code dir/witness}, created on first use,
 * witness name {@code witness.test}), for in-process tests.
 */
public final class TestLedgers {
  private TestLedgers() {}

  public static Ledger sqlite(Path dir, DeviceRegistry registry, Clock clock) throws IOException {
    return new Ledger(
        dir,
        registry,
        new LightchainCheckpointNotes(),
        WitnessKey.loadOrCreate(dir.resolve("witness")),
        "witness.test",
        clock);
  }
}
