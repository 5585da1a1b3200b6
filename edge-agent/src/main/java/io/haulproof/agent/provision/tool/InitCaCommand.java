package io.haulproof.agent.provision.tool;

import io.haulproof.agent.provision.Certificates;
import io.haulproof.agent.provision.FleetCa;
import io.haulproof.agent.provision.OperatorCredentials;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code haulproof provision init-ca}: creates the fleet CA and a first provisioning key
 * ("default").
 */
@Command(
    name = "init-ca",
    mixinStandardHelpOptions = true,
    description = "Create the fleet CA and a default provisioning key.")
public final class InitCaCommand implements Callable<Integer> {
  @Option(
      names = "--ca-dir",
      required = true,
      description = "Directory for the CA (created, mode 0700).")
  Path caDir;

  @Option(
      names = "--fleet",
      defaultValue = "default",
      description = "Fleet name used in topics and certificates.")
  String fleet;

  @Override
  public Integer call() throws Exception {
    FleetCa ca = FleetCa.init(caDir, fleet, Clock.systemUTC());
    OperatorCredentials op =
        OperatorCredentials.issue(ca, "default", caDir.resolve("operators").resolve("default"));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("fleet", fleet);
    out.put("ca_dir", caDir.toString());
    out.put("root_cert", caDir.resolve("root.crt").toString());
    out.put("root_sha256", Certificates.fingerprint(ca.root()));
    out.put("operator", "default");
    out.put("operator_serial", op.certificate().getSerialNumber().toString(16));
    JsonOut.print(out);
    return 0;
  }
}
