package io.haulproof.agent.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder for {@code haulproof keys}; its owner replaces this file (see docs/architecture.md). */
@Command(name = "keys", description = "Not built yet.")
final class KeysCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("haulproof keys: not built yet");
    return Main.EXIT_USAGE;
  }
}
