package io.haulproof.agent.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder for {@code haulproof bench}; its owner replaces this file (see docs/architecture.md). */
@Command(name = "bench", description = "Not built yet.")
final class BenchCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("haulproof bench: not built yet");
    return Main.EXIT_USAGE;
  }
}
