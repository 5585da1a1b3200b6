package io.haulproof.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the {@code haulproof} command line (contract: DESIGN.md, "CLI").
 *
 * <p>Exit codes: 0 ok, 1 the check failed, 2 usage or input error. Machine output is one JSON
 * object per line on stdout; diagnostics go to stderr. Each subcommand lives in its own class.
 */
@Command(
    name = "haulproof",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Tamper-evident edge gateway for waste-collection records.",
    subcommands = {
      DemoCommand.class,
      RunCommand.class,
      ChainCommand.class,
      KeysCommand.class,
      MerkleCommand.class,
      NmeaCommand.class,
      BenchCommand.class,
      LedgerCommand.class,
      AuditCommand.class,
      AuthenticatorCommand.class,
      ProvisionCommand.class,
      DoctorCommand.class,
    })
public final class Main implements Runnable {
  /** Exit code: the check failed (for example an invalid chain). */
  public static final int EXIT_CHECK_FAILED = 1;

  /** Exit code: usage or input error. */
  public static final int EXIT_USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit code; used by tests in-process. */
  public static int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          commandLine.getErr().println("haulproof: " + ex.getMessage());
          return EXIT_USAGE;
        });
    cl.setExecutionStrategy(
        parsed -> {
          DeprecatedFlags.warn(parsed, cl.getErr());
          return new CommandLine.RunLast().execute(parsed);
        });
    return cl.execute(args);
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
  }
}
