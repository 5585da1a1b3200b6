package io.haulproof.agent.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder for {@code haulproof demo}; its owner replaces this file (see docs/architecture.md). */
@Command(name = "demo", description = "Not built yet.")
final class DemoCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("haulproof demo: not built yet");
    return Main.EXIT_USAGE;
  }
}
