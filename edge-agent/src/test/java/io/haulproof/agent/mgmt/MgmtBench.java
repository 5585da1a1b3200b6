package io.haulproof.agent.mgmt;

import io.haulproof.agent.provision.ClaimCode;
import io.haulproof.agent.provision.ClaimKey;
import io.haulproof.lightchain.bytes.Bytes;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Management request costs on the agent (not a test): verification alone, and a whole inventory
 * request including the durable replay-state write; plus the technician's claim-key derivation.
 * Command in bench/mgmt.md.
 */
public final class MgmtBench {
  private MgmtBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("mgmt-bench");
    MgmtFixture f = new MgmtFixture(dir, true);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    RequestVerifier verifier =
        new RequestVerifier(
            f.ref, f.identity::trust, ReplayGuard.open(dir.resolve("bench-replay")), f.clock);
    Bytes one = f.request(MgmtOp.INVENTORY, Map.of());

    // verification only (same bytes; the replay state is only checked)
    for (int i = 0; i < 500; i++) {
      verifier.verify(one);
    }
    int n = 3000;
    long cpu0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      verifier.verify(one);
    }
    report(
        "verify (size, COSE, cert chain + CRL, ES256, target, expiry, replay check)",
        n,
        t0,
        cpu0,
        threads);

    // whole inventory requests, each a fresh version: includes fsync + rename of the replay state
    int m = 300;
    List<Bytes> requests = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      requests.add(f.signer().sign(MgmtOp.INVENTORY, f.ref, Map.of(), Duration.ofMinutes(10)));
    }
    cpu0 = threads.getCurrentThreadCpuTime();
    t0 = System.nanoTime();
    for (Bytes r : requests) {
      if (!f.service.handle(r).response().ok()) {
        throw new IllegalStateException("bench request refused");
      }
    }
    report("handle inventory (verify + durable replay write + answer JSON)", m, t0, cpu0, threads);

    // technician side: PBKDF2 claim-key derivation at 200k iterations
    ClaimCode code = ClaimCode.generate();
    ClaimKey k = ClaimKey.create(code, "truck-7");
    int d = 10;
    cpu0 = threads.getCurrentThreadCpuTime();
    t0 = System.nanoTime();
    for (int i = 0; i < d; i++) {
      ClaimKey.derive(code, "truck-7", k.salt(), k.iterations());
    }
    report("claim key derivation (PBKDF2-HMAC-SHA256, 200k)", d, t0, cpu0, threads);
  }

  private static void report(String what, int n, long t0, long cpu0, ThreadMXBean threads) {
    double wall = (System.nanoTime() - t0) / 1e9;
    double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
    System.out.printf(
        "%-80s %8.1f ops/s wall  %8.1f ops per CPU-s  (%.2f ms per op wall)%n",
        what, n / wall, n / cpu, wall * 1000 / n);
  }
}
