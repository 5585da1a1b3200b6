package io.haulproof.lightchain.bench;

import io.haulproof.lightchain.ChainReader;
import io.haulproof.lightchain.Lightchain;
import io.haulproof.lightchain.LightchainOptions;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.log.Appended;
import io.haulproof.lightchain.testing.TestEntries;
import io.haulproof.lightchain.verify.VerificationResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Benchmark (not a test): whole-chain verification rate against the raw Bouncy Castle ES256
 * verification rate measured in the same run, on one core and on all cores. Run with {@code java
 * -cp … ChainVerifyBench [entries]}.
 */
public final class ChainVerifyBench {
  private ChainVerifyBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int cores = Runtime.getRuntime().availableProcessors();
    DeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    Path dir = Files.createTempDirectory("lc-chain-bench");
    System.out.println("building a chain of " + n + " entries in " + dir);
    long t0 = System.nanoTime();
    try (Lightchain chain =
        Lightchain.open(
            dir,
            key,
            "bench-1",
            LightchainOptions.defaults(Checkpoint.originFor("bench", "bench-1")))) {
      List<CompletableFuture<Appended>> pending = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        pending.add(chain.append(TestEntries.config(i)));
        if (pending.size() == 4096) {
          for (CompletableFuture<Appended> f : pending) {
            f.get();
          }
          pending.clear();
        }
      }
      for (CompletableFuture<Appended> f : pending) {
        f.get();
      }
    }
    System.out.printf(
        "built in %.1f s (ingest + blocks + in-line authentication)%n",
        (System.nanoTime() - t0) / 1e9);

    List<CoseSign1> entries = new ArrayList<>(n);
    try (ChainReader r = ChainReader.open(dir)) {
      for (long i = 0; i < r.size(); i++) {
        entries.add(CoseSign1.decode(r.read(i)));
      }
    }
    SignatureVerifier v = SignatureVerifier.of(key.publicKey());
    for (int i = 0; i < Math.min(n, 20_000); i++) {
      entries.get(i).verify(v); // warm-up
    }
    // The machine is shared, so raw and chain rates are measured in alternating rounds and compared
    // per round.
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    double[] ratio2 = new double[rounds];
    double[] ratio1 = new double[rounds];
    VerificationResult res = null;
    for (int round = 0; round < rounds; round++) {
      long s1 = System.nanoTime();
      for (CoseSign1 e : entries) {
        e.verify(v);
      }
      double raw1 = entries.size() / ((System.nanoTime() - s1) / 1e9);
      ForkJoinPool pool = new ForkJoinPool(cores);
      long s2 = System.nanoTime();
      pool.submit(
              () ->
                  IntStream.range(0, entries.size())
                      .parallel()
                      .forEach(i -> entries.get(i).verify(v)))
          .get();
      double rawAll = entries.size() / ((System.nanoTime() - s2) / 1e9);
      pool.shutdown();
      double chainRate;
      try (ChainReader r = ChainReader.open(dir)) {
        long s3 = System.nanoTime();
        res = r.verify(done -> {});
        chainRate = res.entries() / ((System.nanoTime() - s3) / 1e9);
      }
      ratio1[round] = chainRate / (raw1 * cores);
      ratio2[round] = chainRate / rawAll;
      System.out.printf(
          "round %d: raw 1 thread %.0f/s, raw %d threads %.0f/s, chain verify %.0f entries/s"
              + " -> %.0f%% of raw1 x %d, %.0f%% of raw %d-thread%n",
          round + 1,
          raw1,
          cores,
          rawAll,
          chainRate,
          100 * ratio1[round],
          cores,
          100 * ratio2[round],
          cores);
    }
    java.util.Arrays.sort(ratio1);
    java.util.Arrays.sort(ratio2);
    System.out.printf(
        "entries %d, blocks %d, valid %s; median chain/raw: %.0f%% of raw1 x %d cores, %.0f%% of raw %d-thread%n",
        res.entries(),
        res.blocks(),
        res.valid(),
        100 * ratio1[rounds / 2],
        cores,
        100 * ratio2[rounds / 2],
        cores);
  }
}
