package io.haulproof.lightchain.merkle;

import io.haulproof.lightchain.bytes.Hash;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Benchmark (not a test): Merkle append rate, and inclusion/consistency proof latency on a
 * file-backed tree of N synthetic leaf hashes. Run: {@code java -cp
 * lightchain/target/classes:lightchain/target/test-classes
 * io.haulproof.lightchain.merkle.MerkleBench DIR [N]}.
 */
public final class MerkleBench {
  private MerkleBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long n = args.length > 1 ? Long.parseLong(args[1]) : 10_000_000L;
    try (MerkleTree t = MerkleTree.open(dir)) {
      long have = t.size();
      long t0 = System.nanoTime();
      byte[] b = new byte[32];
      for (long i = have; i < n; i++) {
        ByteBuffer.wrap(b).putLong(0, i);
        t.append(Hash.sha256(b));
      }
      t.checkpoint();
      double s = (System.nanoTime() - t0) / 1e9;
      if (n > have) {
        System.out.printf(
            "{\"bench\":\"merkle_append\",\"leaves\":%d,\"seconds\":%.3f,\"appends_per_s\":%.0f}%n",
            n - have, s, (n - have) / s);
      }
      Random r = new Random(1);
      long sink = 0;
      for (int round = 0; round < 2; round++) { // round 0 warms up
        int proofs = round == 0 ? 20_000 : 100_000;
        long p0 = System.nanoTime();
        for (int k = 0; k < proofs; k++) {
          long idx = Math.floorMod(r.nextLong(), n);
          List<Hash> p = t.inclusionProof(idx, n);
          sink += p.size();
        }
        double us = (System.nanoTime() - p0) / 1e3 / proofs;
        long c0 = System.nanoTime();
        for (int k = 0; k < proofs / 10; k++) {
          long m = 1 + Math.floorMod(r.nextLong(), n - 1);
          sink += t.consistencyProof(m, n).size();
        }
        double cus = (System.nanoTime() - c0) / 1e3 / (proofs / 10);
        long v0 = System.nanoTime();
        Hash root = t.root();
        for (int k = 0; k < proofs / 10; k++) {
          long idx = Math.floorMod(r.nextLong(), n);
          ProofVerifier.verifyInclusion(idx, n, t.leafHash(idx), t.inclusionProof(idx, n), root);
        }
        double vus = (System.nanoTime() - v0) / 1e3 / (proofs / 10);
        if (round == 1) {
          System.out.printf(
              "{\"bench\":\"merkle_proofs\",\"tree_size\":%d,\"inclusion_proof_us\":%.2f,"
                  + "\"consistency_proof_us\":%.2f,\"build_and_verify_inclusion_us\":%.2f,\"sink\":%d}%n",
              n, us, cus, vus, sink);
        }
      }
    }
  }
}
