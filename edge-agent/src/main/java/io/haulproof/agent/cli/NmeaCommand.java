package io.haulproof.agent.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder for {@code haulproof nmea}; its owner replaces this file (see docs/architecture.md). */
@Command(name = "nmea", description = "Not built yet.")
final class NmeaCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("haulproof nmea: not built yet");
    return Main.EXIT_USAGE;
  }
}
