package io.haulproof.lightchain.fuzz;

import java.util.Arrays;
import java.util.List;

/**
 * The class the Jazzer driver runs ({@code --target_class}). {@code --target_args="REGISTRY NAME"}
 * selects one target of a {@link FuzzRegistry}; {@code NAME} {@code *} multiplexes all of them in
 * one process, the first input byte choosing the target (the rest is its input), which is how the
 * suite's short run fuzzes every target of a module in a single JVM.
 */
public final class JazzerEntry {
  private static List<FuzzTarget> targets = List.of();

  private JazzerEntry() {}

  public static void fuzzerInitialize(String[] args) {
    if (args.length != 2) {
      throw new IllegalArgumentException(
          "--target_args must be 'REGISTRY NAME', got " + Arrays.toString(args));
    }
    FuzzRegistry registry = FuzzRegistry.load(args[0]);
    targets = "*".equals(args[1]) ? registry.targets() : List.of(registry.target(args[1]));
  }

  public static void fuzzerTestOneInput(byte[] data) throws Exception {
    if (targets.size() == 1) {
      targets.get(0).body().run(data);
    } else if (data.length > 0) {
      targets
          .get(selected(data[0], targets.size()))
          .body()
          .run(Arrays.copyOfRange(data, 1, data.length));
    }
  }

  /** The target index a multiplexed input's first byte chooses. */
  public static int selected(byte first, int targetCount) {
    return (first & 0xff) % targetCount;
  }
}
