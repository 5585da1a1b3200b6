package io.haulproof.agent.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder for {@code haulproof chain}; its owner replaces this file (see docs/architecture.md). */
@Command(name = "chain", description = "Not built yet.")
final class ChainCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("haulproof chain: not built yet");
    return Main.EXIT_USAGE;
  }
}
