package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The same option has the same name in every command; old names are aliases with a note. */
class CliFlagNamesTest {
  @TempDir Path dir;

  @Test
  void everyCommand_anOldOptionName_isOnlyAnAliasOfTheCurrentName() {
    // given every command of the CLI
    List<String> wrong = new ArrayList<>();
    int aliases = 0;
    for (Map.Entry<String, CommandLine> c : commands(new CommandLine(new Main()), "haulproof")) {
      for (OptionSpec o : c.getValue().getCommandSpec().options()) {
        List<String> names = List.of(o.names());
        for (String n : names) {
          String current = DeprecatedFlags.ALIASES.get(n);
          if (current == null) {
            continue;
          }
          aliases++;
          // then an old name never stands alone: the option also answers to the current name
          if (!names.contains(current)) {
            wrong.add(c.getKey() + " " + n + " without " + current);
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
    assertThat(aliases).as("old names still accepted somewhere").isGreaterThanOrEqualTo(5);
  }

  @Test
  void run_withAnOldOptionName_worksAndSaysTheNewName() {
    // given stderr captured
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    PrintStream out = System.out;
    System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    int exit;
    try {
      // when bench ingest runs with --device-id (now --device)
      exit =
          Main.run(
              "bench",
              "ingest",
              "--data-dir",
              dir.toString(),
              "--events",
              "0",
              "--sign-sample",
              "1",
              "--device-id",
              "truck-9");
    } finally {
      System.setErr(err);
      System.setOut(out);
    }
    // then it ran and said which name to use instead
    String stderr = buf.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(stderr).isZero();
    assertThat(stderr).contains("haulproof bench ingest: --device-id is deprecated, use --device");
  }

  @Test
  void run_withTheCurrentName_saysNothingAboutDeprecation() {
    PrintStream err = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
    PrintStream out = System.out;
    System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    try {
      Main.run(
          "bench",
          "ingest",
          "--data-dir",
          dir.toString(),
          "--events",
          "0",
          "--sign-sample",
          "1",
          "--device",
          "truck-9");
    } finally {
      System.setErr(err);
      System.setOut(out);
    }
    assertThat(buf.toString(StandardCharsets.UTF_8)).doesNotContain("deprecated");
  }

  private static List<Map.Entry<String, CommandLine>> commands(CommandLine cl, String name) {
    List<Map.Entry<String, CommandLine>> out = new ArrayList<>();
    out.add(Map.entry(name, cl));
    cl.getSubcommands().forEach((n, c) -> out.addAll(commands(c, name + " " + n)));
    return out;
  }
}
