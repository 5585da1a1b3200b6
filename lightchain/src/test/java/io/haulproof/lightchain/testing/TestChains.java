package io.haulproof.lightchain.testing;

import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.LightchainOptions;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.entry.ConfigBody;
import io.haulproof.lightchain.log.Appended;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Chains on disk for tests, written through the {@link Lightchain} facade as the agent does. */
public final class TestChains {
  private TestChains() {}

  /** Opens {@code dataDir} for {@code deviceId} of fleet-1, with blocks of 5 entries. */
  public static Lightchain open(Path dataDir, DeviceKey key, String deviceId) throws IOException {
    return Lightchain.open(
        dataDir,
        key,
        deviceId,
        LightchainOptions.defaults(Checkpoint.originFor("fleet-1", deviceId))
            .withBlocks(5, 3_600_000));
  }

  /** Appends {@code config} entries 1..n and returns each once acknowledged, in order. */
  public static List<Appended> appendConfigs(Lightchain chain, int n) throws Exception {
    List<CompletableFuture<Appended>> fs = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      fs.add(
          chain.append(
              new ConfigBody(i, "test", Bytes.of((byte) i), Optional.empty(), Optional.empty())));
    }
    List<Appended> out = new ArrayList<>();
    for (CompletableFuture<Appended> f : fs) {
      out.add(f.get(60, TimeUnit.SECONDS));
    }
    return out;
  }
}
