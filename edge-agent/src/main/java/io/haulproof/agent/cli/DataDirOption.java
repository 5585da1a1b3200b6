package io.haulproof.agent.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data-dir DIR} option shared by the {@code chain} subcommands. */
final class DataDirOption {
  @Option(names = "--data-dir", required = true, description = "The data dir.")
  Path dataDir;
}
