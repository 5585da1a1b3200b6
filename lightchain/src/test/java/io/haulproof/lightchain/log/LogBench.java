package io.haulproof.lightchain.log;

import io.haulproof.lightchain.bytes.Bytes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Benchmark (not a test): the storage ceiling of group commit, appending pre-made 287-byte records
 * (the size of a realistic signed collection entry) from 4 threads, every acknowledgement after
 * {@code force}. Run: {@code java -cp lightchain/target/classes:lightchain/target/test-classes
 * io.haulproof.lightchain.log.LogBench DIR [N]}.
 */
public final class LogBench {
  private LogBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int n = args.length > 1 ? Integer.parseInt(args[1]) : 200_000;
    byte[] p = new byte[287];
    try (SegmentedLog log = SegmentedLog.open(dir, LogOptions.defaults())) {
      long[] groups = new long[1];
      log.addCommitListener(size -> groups[0]++);
      long t0 = System.nanoTime();
      List<Thread> ts = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        Thread th =
            new Thread(
                () -> {
                  List<CompletableFuture<Long>> fs = new ArrayList<>();
                  for (int i = 0; i < n / 4; i++) {
                    fs.add(log.append(Bytes.of(p)));
                    if (fs.size() == 1024) {
                      fs.forEach(CompletableFuture::join);
                      fs.clear();
                    }
                  }
                  fs.forEach(CompletableFuture::join);
                });
        ts.add(th);
        th.start();
      }
      for (Thread th : ts) {
        th.join();
      }
      double s = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "{\"bench\":\"segmented_log_append\",\"records\":%d,\"seconds\":%.3f,\"records_per_s\":%.0f,"
              + "\"group_commits\":%d}%n",
          n, s, n / s, groups[0]);
    }
  }
}
