package io.haulproof.agent.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder for {@code haulproof run}; its owner replaces this file (see docs/architecture.md). */
@Command(name = "run", description = "Not built yet.")
final class RunCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("haulproof run: not built yet");
    return Main.EXIT_USAGE;
  }
}
