package io.haulproof.agent.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.haulproof.agent.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * README.md, docs/*.md and firmware-notes/*.md against the code: every {@code haulproof} command
 * and flag they show exists in the CLI, and every YAML example uses only keys the config parser
 * accepts (see {@link DocsCheck}).
 */
class DocsMatchCodeTest {
  private static final Path ROOT = Path.of("..");

  @Test
  void docs_everyCommandFlagAndYamlKey_existInTheCode() throws IOException {
    // given every operator-facing markdown file of the repository
    List<Path> files = docs();
    DocsCheck check =
        new DocsCheck(
            new CommandLine(new Main()).getCommandSpec(),
            SourceIndex.of(ROOT),
            // docs/power-and-storage.md: the file writers that DurableFiles replaced
            Set.of("SecureFiles", "AtomicFiles"));

    // when each is checked against the CLI model and the config parser
    List<String> problems = new ArrayList<>();
    for (Path f : files) {
      problems.addAll(check.check(ROOT.relativize(f).toString(), Files.readString(f)));
    }

    // then the checker saw the examples (it cannot pass by finding none) and none is unknown
    assertTrue(check.invocations() >= 60, "haulproof invocations checked: " + check.invocations());
    assertTrue(check.yamlBlocks() >= 4, "yaml blocks checked: " + check.yamlBlocks());
    assertTrue(check.configPaths() >= 20, "setting paths checked: " + check.configPaths());
    assertTrue(check.codeNames() >= 50, "class and test names checked: " + check.codeNames());
    assertEquals("", String.join("\n", problems));
  }

  @Test
  void docs_theFilesChecked_includeReadmeDocsAndFirmwareNotes() throws IOException {
    List<String> names = docs().stream().map(p -> ROOT.relativize(p).toString()).toList();
    assertTrue(names.contains("README.md"), names.toString());
    assertTrue(names.contains("docs/install-on-pi.md"), names.toString());
    assertTrue(names.contains("docs/ledger.md"), names.toString());
    assertTrue(names.contains("firmware-notes/provisioning-runbook.md"), names.toString());
  }

  static List<Path> docs() throws IOException {
    List<Path> out = new ArrayList<>();
    out.add(ROOT.resolve("README.md"));
    for (String dir : List.of("docs", "firmware-notes")) {
      try (Stream<Path> s = Files.list(ROOT.resolve(dir))) {
        s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
      }
    }
    return out;
  }
}
