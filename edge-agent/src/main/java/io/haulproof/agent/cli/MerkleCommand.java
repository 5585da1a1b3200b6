package io.haulproof.agent.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder for {@code haulproof merkle}; its owner replaces this file (see docs/architecture.md). */
@Command(name = "merkle", description = "Not built yet.")
final class MerkleCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("haulproof merkle: not built yet");
    return Main.EXIT_USAGE;
  }
}
