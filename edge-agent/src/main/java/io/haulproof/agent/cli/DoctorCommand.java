package io.haulproof.agent.cli;

import io.haulproof.agent.doctor.Doctor;
import io.haulproof.agent.doctor.Finding;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code haulproof doctor}: a technician's self-check, one plain line per check ({@code OK}, {@code
 * WARN}, {@code FAIL}) on stdout; exit 1 if anything failed.
 */
@Command(
    name = "doctor",
    description =
        "Self-check: config, keys and certificate, brokers, sensors, clock and GNSS, disk and quarantine,"
            + " last receipt. One line per check; exit 1 if any check fails.")
final class DoctorCommand implements Callable<Integer> {
  @Option(
      names = "--config",
      description = "Agent configuration (default: ${DEFAULT-VALUE}).",
      defaultValue = "/etc/haulproof/agent.yaml")
  Path config;

  @Option(
      names = "--timeout-ms",
      description =
          "How long to wait for each port, broker or receiver" + " (default: ${DEFAULT-VALUE}).",
      defaultValue = "3000")
  long timeoutMs;

  @Override
  public Integer call() {
    if (timeoutMs < 1 || timeoutMs > 600_000) {
      System.err.println("haulproof doctor: --timeout-ms " + timeoutMs + ", want 1..600000");
      return Main.EXIT_USAGE;
    }
    Doctor doctor =
        Doctor.standard(Duration.ofMillis(timeoutMs), Clock.systemUTC(), System.getenv());
    List<Finding> findings =
        doctor.run(
            config,
            f -> {
              System.out.println(f.line());
              System.out.flush();
            });
    return Doctor.exitCode(findings);
  }
}
