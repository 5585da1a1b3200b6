package io.haulproof.agent.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder for {@code haulproof provision}; its owner replaces this file (see docs/architecture.md). */
@Command(name = "provision", description = "Not built yet.")
final class ProvisionCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("haulproof provision: not built yet");
    return Main.EXIT_USAGE;
  }
}
