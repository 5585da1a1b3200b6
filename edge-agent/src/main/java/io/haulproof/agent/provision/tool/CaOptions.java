package io.haulproof.agent.provision.tool;

import io.haulproof.agent.provision.FleetCa;
import io.haulproof.agent.provision.OperatorCredentials;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Option;

/** Where the technician's CA and provisioning key live. */
final class CaOptions {
  @Option(
      names = "--ca-dir",
      defaultValue = "${env:HAULPROOF_CA_DIR:-fleet-ca}",
      description = "The fleet CA directory (default $HAULPROOF_CA_DIR or ./fleet-ca).")
  Path caDir;

  @Option(
      names = "--operator",
      description = "Provisioning key directory; default CA_DIR/operators/default.")
  Path operator;

  FleetCa ca() throws IOException {
    return FleetCa.open(caDir, Clock.systemUTC());
  }

  OperatorCredentials operator() throws IOException {
    return OperatorCredentials.open(
        operator != null ? operator : caDir.resolve("operators").resolve("default"));
  }
}
