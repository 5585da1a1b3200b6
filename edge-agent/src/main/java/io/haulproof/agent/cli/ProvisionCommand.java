package io.haulproof.agent.cli;

import io.haulproof.agent.provision.tool.ClaimCommand;
import io.haulproof.agent.provision.tool.EnrollCommand;
import io.haulproof.agent.provision.tool.InitCaCommand;
import io.haulproof.agent.provision.tool.IssueOperatorCommand;
import io.haulproof.agent.provision.tool.MgmtCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code haulproof provision}: the technician's side of enrollment and management
 * (docs/provisioning.md).
 *
 * <p>Subcommands: {@code init-ca}, {@code issue-operator}, {@code claim}, {@code enroll}, {@code
 * mgmt}. Machine output is one JSON object per line on stdout; private keys are written 0600 and
 * never printed.
 */
@Command(
    name = "provision",
    mixinStandardHelpOptions = true,
    description = "Fleet CA, claim-code enrollment and signed management requests.",
    subcommands = {
      InitCaCommand.class,
      IssueOperatorCommand.class,
      ClaimCommand.class,
      EnrollCommand.class,
      MgmtCommand.class,
    })
final class ProvisionCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println(
        "haulproof provision: missing subcommand (init-ca, issue-operator, claim, enroll or mgmt)");
    return Main.EXIT_USAGE;
  }
}
