package io.haulproof.agent.doctor;

import io.haulproof.agent.config.AgentConfig;
import io.haulproof.agent.config.ConfigException;
import io.haulproof.agent.config.ConfigLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs every self-check in the order a technician would fix things: configuration, keys and
 * certificate, broker, sensors, clock and GNSS, disk and quarantine, last receipt.
 */
public final class Doctor {
  private final List<DoctorCheck> checks;

  public Doctor(List<DoctorCheck> checks) {
    this.checks = List.copyOf(checks);
  }

  /** The standard checks for this machine. */
  public static Doctor standard(Duration timeout, Clock clock, Map<String, String> env) {
    return new Doctor(
        List.of(
            new KeystoreCheck(env),
            new CertificateCheck(clock),
            new BrokerCheck(timeout),
            new SensorCheck(timeout),
            new ClockCheck(clock, Path.of("/run/systemd/timesync/synchronized")),
            new GnssCheck(timeout),
            new DiskCheck(),
            new ReceiptCheck(timeout, clock)));
  }

  /**
   * Checks {@code configFile}, then (if it is valid) everything else, handing each finding to
   * {@code out} as soon as it is known.
   *
   * @return every finding
   */
  public List<Finding> run(Path configFile, Consumer<Finding> out) {
    List<Finding> all = new ArrayList<>();
    AgentConfig config;
    try {
      config = new ConfigLoader().load(configFile);
    } catch (ConfigException e) {
      Finding f = Finding.fail("config", configFile + " is not valid: " + e.getMessage());
      out.accept(f);
      all.add(f);
      return all;
    }
    Finding valid =
        Finding.ok(
            "config",
            configFile
                + " is valid (device "
                + config.device().id()
                + ", fleet "
                + config.device().fleet()
                + ")");
    out.accept(valid);
    all.add(valid);
    for (DoctorCheck check : checks) {
      List<Finding> found;
      try {
        found = check.run(config);
      } catch (RuntimeException e) {
        found =
            List.of(
                Finding.fail(check.getClass().getSimpleName(), "the check itself failed: " + e));
      }
      for (Finding f : found) {
        out.accept(f);
        all.add(f);
      }
    }
    return all;
  }

  /** 1 if anything failed, else 0 (warnings do not fail the doctor). */
  public static int exitCode(List<Finding> findings) {
    return findings.stream().anyMatch(f -> f.verdict() == Verdict.FAIL) ? 1 : 0;
  }
}
