package io.haulproof.agent.mgmt;

import io.haulproof.lightchain.crypto.Kid;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.TreeMap;

/**
 * The child JVM of {@link MgmtStatePowerCutIT}: commits management state as the management service
 * does (a config snapshot and its pointer, then the issuer's replay counter) for versions 1, 2, …
 * until killed; after both are durable it prints the version on a line of its own to stdout (a pipe
 * to the test, off the mount).
 *
 * <p>Arguments: stateDir.
 */
public final class MgmtStateWriter {
  static final Kid ISSUER = Kid.fromHex("00112233445566778899aabbccddeeff");

  private MgmtStateWriter() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    ConfigStore store = ConfigStore.open(dir.resolve("config"));
    ReplayGuard replay = ReplayGuard.open(dir.resolve("replay-counters"));
    // unbuffered: one write per acknowledgement, so a kill never leaves one half-sent
    try (OutputStream acked = new FileOutputStream(FileDescriptor.out)) {
      while (true) {
        ConfigSnapshot next = store.propose(values(store.current().version() + 1));
        store.commit(next);
        replay.accept(ISSUER, next.version());
        acked.write((next.version() + "\n").getBytes(StandardCharsets.US_ASCII));
        acked.flush();
      }
    }
  }

  static TreeMap<String, String> values(long version) {
    TreeMap<String, String> m = new TreeMap<>();
    m.put("uplink.checkpoint-seconds", Long.toString(10 + version % 50));
    m.put("route.name", "route-" + version);
    return m;
  }
}
