package io.haulproof.agent.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder for {@code haulproof doctor}; its owner replaces this file (see docs/architecture.md). */
@Command(name = "doctor", description = "Not built yet.")
final class DoctorCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("haulproof doctor: not built yet");
    return Main.EXIT_USAGE;
  }
}
