package io.haulproof.agent.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Old option names kept as aliases so existing scripts keep working: the same option has the same
 * name in every command (README, "What else the CLI does"). Using an old name prints a note on
 * stderr naming the new one.
 */
public final class DeprecatedFlags {
  /** Old name → current name. */
  public static final Map<String, String> ALIASES =
      Map.of(
          "--cafile", "--tls-ca",
          "--cert", "--tls-cert",
          "--key", "--tls-key",
          "--device-id", "--device");

  private DeprecatedFlags() {}

  /** Prints one note per old name used on the command line that {@code parsed} ran. */
  static void warn(CommandLine.ParseResult parsed, PrintWriter err) {
    CommandLine.ParseResult leaf = parsed;
    StringBuilder command = new StringBuilder("haulproof");
    while (leaf.hasSubcommand()) {
      leaf = leaf.subcommand();
      command.append(' ').append(leaf.commandSpec().name());
    }
    CommandSpec spec = leaf.commandSpec();
    List<String> args = parsed.originalArgs();
    for (String arg : args) {
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      if (ALIASES.containsKey(name) && spec.findOption(name) != null) {
        err.println(command + ": " + name + " is deprecated, use " + ALIASES.get(name));
      }
    }
    err.flush();
  }
}
