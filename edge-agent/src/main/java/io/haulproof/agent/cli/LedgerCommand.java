package io.haulproof.agent.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder for {@code haulproof ledger}; its owner replaces this file (see docs/architecture.md). */
@Command(name = "ledger", description = "Not built yet.")
final class LedgerCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("haulproof ledger: not built yet");
    return Main.EXIT_USAGE;
  }
}
