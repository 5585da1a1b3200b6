package io.haulproof.lightchain.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes each target's seeds to {@code <dir>/<target>/seed-<n>} (files that exist are left alone).
 * Run once per new target, then commit the files:
 *
 * <pre>{@code
 * java -cp <test classpath> io.haulproof.lightchain.fuzz.FuzzSeedWriter REGISTRY src/test/resources/fuzz
 * }</pre>
 *
 * ({@code bench/fuzz.sh --write-seeds} does this for every module, through {@link
 * FuzzCorpusCheck}.)
 */
public final class FuzzSeedWriter {
  private FuzzSeedWriter() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      throw new IllegalArgumentException("usage: FuzzSeedWriter REGISTRY DIR");
    }
    write(FuzzRegistry.load(args[0]), Path.of(args[1]));
  }

  /** Writes the seeds of every target of {@code registry} under {@code dir}. */
  public static void write(FuzzRegistry registry, Path dir) throws Exception {
    for (FuzzTarget t : registry.targets()) {
      Path folder = Files.createDirectories(dir.resolve(t.name()));
      List<byte[]> seeds = t.seeds().make();
      for (int i = 0; i < seeds.size(); i++) {
        Path f = folder.resolve(String.format("seed-%02d", i));
        if (!Files.exists(f)) {
          write(f, seeds.get(i));
        }
      }
      System.out.printf("%s: %d seeds in %s%n", t.name(), seeds.size(), folder);
    }
  }

  private static void write(Path f, byte[] b) throws IOException {
    Files.write(f, b);
  }
}
