package io.haulproof.agent.cli;

import io.haulproof.agent.demo.LocalMosquitto;
import io.haulproof.agent.demo.NodeProcesses;
import io.haulproof.agent.poah.PoahSetup;
import io.haulproof.agent.poah.PoahTruck;
import io.haulproof.agent.provision.FleetCa;
import io.haulproof.agent.provision.OperatorCredentials;
import io.haulproof.lightchain.LightchainOptions;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.log.Appended;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code haulproof bench poah --authenticators N}: block finality over a loopback broker with N
 * authenticator nodes as separate processes. First one block at a time (latency: from the first
 * proposal to the quorum-th authentication stored, median and p99), then {@code --blocks} blocks
 * back to back (blocks/s from the first proposal to the last finality).
 */
@Command(
    name = "poah",
    description = "Block finality latency and blocks/s with N authenticator processes.")
final class BenchPoahCommand implements Callable<Integer> {
  @Option(names = "--authenticators", defaultValue = "3", description = "nodes (default 3)")
  int nodes;

  @Option(names = "--quorum", description = "authentications per block (default a majority)")
  Integer quorum;

  @Option(names = "--blocks", defaultValue = "200", description = "blocks per phase (default 200)")
  int blocks;

  @Option(
      names = "--entries-per-block",
      defaultValue = "16",
      description = "entries per block (default 16)")
  int perBlock;

  @Option(names = "--broker", description = "MQTT broker URL (default: a local Mosquitto)")
  String broker;

  @Option(names = "--data-dir", required = true, description = "scratch directory (fresh)")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    int q = quorum != null ? quorum : nodes / 2 + 1;
    if (nodes < 1 || q < 1 || q > nodes || blocks < 1 || perBlock < 1) {
      System.err.println("haulproof bench poah: need 1 <= quorum <= authenticators, blocks >= 1");
      return Main.EXIT_USAGE;
    }
    if (Files.exists(dataDir) && Files.list(dataDir).findAny().isPresent()) {
      System.err.println("haulproof bench poah: --data-dir must be new or empty");
      return Main.EXIT_USAGE;
    }
    Files.createDirectories(dataDir);
    LocalMosquitto local = broker == null ? LocalMosquitto.start(dataDir.resolve("broker")) : null;
    String url = broker != null ? broker : local.url();
    FleetCa ca = FleetCa.init(dataDir.resolve("ca"), "bench-fleet", Clock.systemUTC());
    OperatorCredentials op =
        OperatorCredentials.issue(ca, "bench", Files.createDirectories(dataDir.resolve("op")));
    Map<String, X509Certificate> members = new LinkedHashMap<>();
    List<Path> dirs = new ArrayList<>();
    for (int i = 1; i <= nodes; i++) {
      Path d = dataDir.resolve("auth-" + i);
      members.put("auth-" + i, PoahSetup.initAuthenticator(d, ca, "auth-" + i));
      dirs.add(d);
    }
    try (NodeProcesses procs = new NodeProcesses(System.err)) {
      procs.start(url, dirs);
      try (PoahTruck truck =
          PoahTruck.open(
              dataDir.resolve("truck"),
              ca,
              "bench-truck",
              url,
              LightchainOptions.defaults(Checkpoint.originFor("bench-fleet", "bench-truck"))
                  .withBlocks(perBlock, 60_000),
              e -> {})) {
        truck.configure(op, q, members);
        long seq = 0;
        // warm-up: JIT in the truck and the nodes
        seq = oneAtATime(truck, seq, Math.min(50, blocks), new ArrayList<>());
        List<Long> lat = new ArrayList<>();
        seq = oneAtATime(truck, seq, blocks, lat);
        lat.sort(Long::compare);
        long firstHeight = truck.chain().blocks().size();
        List<CompletableFuture<Appended>> all = new ArrayList<>();
        for (long i = 0; i < (long) blocks * perBlock; i++) {
          all.add(truck.chain().append(BenchCommand.syntheticCollection(seq++)));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        truck.flush();
        long lastHeight = truck.chain().blocks().size() - 1;
        awaitFinal(truck, lastHeight);
        long start = truck.proposer().proposedAt(firstHeight);
        long end = truck.proposer().finalAt(lastHeight);
        long n = lastHeight - firstHeight + 1;
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("authenticators", nodes);
        line.put("quorum", q);
        line.put("entries_per_block", perBlock);
        line.put("blocks", blocks);
        line.put("latency_ms_median", lat.get(lat.size() / 2));
        line.put("latency_ms_p99", lat.get(Math.min(lat.size() - 1, (int) (lat.size() * 0.99))));
        line.put("latency_ms_max", lat.get(lat.size() - 1));
        line.put("pipelined_blocks", n);
        line.put("blocks_per_s", Math.round(n * 1000.0 / Math.max(1, end - start) * 10) / 10.0);
        JsonLines.print(line);
      }
    } finally {
      if (local != null) {
        local.close();
      }
    }
    return 0;
  }

  /** Seals {@code count} blocks one at a time, each final before the next; adds latencies. */
  private long oneAtATime(PoahTruck truck, long seq, int count, List<Long> latencies)
      throws Exception {
    for (int b = 0; b < count; b++) {
      List<CompletableFuture<Appended>> fs = new ArrayList<>();
      for (int i = 0; i < perBlock; i++) {
        fs.add(truck.chain().append(BenchCommand.syntheticCollection(seq++)));
      }
      CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(1, TimeUnit.MINUTES);
      truck.flush();
      long h = truck.chain().blocks().size() - 1;
      awaitFinal(truck, h);
      latencies.add(truck.proposer().finalAt(h) - truck.proposer().proposedAt(h));
    }
    return seq;
  }

  private static void awaitFinal(PoahTruck truck, long height) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (!truck.proposer().tracker().isFinal(height)
        || truck.proposer().finalAt(height) == null) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("block " + height + " not final within 5 min");
      }
      Thread.onSpinWait();
      Thread.sleep(0, 200_000);
    }
  }
}
