package io.haulproof.agent.provision.tool;

import io.haulproof.agent.provision.FleetCa;
import io.haulproof.agent.provision.OperatorCredentials;
import io.haulproof.lightchain.crypto.Kid;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code haulproof provision issue-operator}: a provisioning key (0600) and its certificate for a
 * technician.
 */
@Command(
    name = "issue-operator",
    mixinStandardHelpOptions = true,
    description = "Create a technician's provisioning key and certificate.")
public final class IssueOperatorCommand implements Callable<Integer> {
  @Option(names = "--ca-dir", required = true, description = "The fleet CA directory.")
  Path caDir;

  @Option(
      names = "--name",
      required = true,
      description = "The technician's name (letters, digits, . _ -).")
  String name;

  @Option(
      names = "--out",
      description = "Directory for the key and certificate; default CA_DIR/operators/NAME.")
  Path out;

  @Override
  public Integer call() throws Exception {
    FleetCa ca = FleetCa.open(caDir, Clock.systemUTC());
    Path dir = out != null ? out : caDir.resolve("operators").resolve(name);
    OperatorCredentials op = OperatorCredentials.issue(ca, name, dir);
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("operator", name);
    o.put("dir", dir.toString());
    o.put("serial", op.certificate().getSerialNumber().toString(16));
    o.put("kid", Kid.of(op.certificate().getPublicKey()).toHex());
    JsonOut.print(o);
    return 0;
  }
}
