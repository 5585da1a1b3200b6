package io.haulproof.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the module layout of docs/architecture.md: each third-party transport or store is imported
 * only in its adapter packages, and the evidence core imports none of them.
 *
 * <p>It scans the main sources of every module (this test runs from edge-agent, the module that
 * sees them all).
 */
class ArchitectureTest {
  private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
  private static final Pattern IMPORT =
      Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)", Pattern.MULTILINE);
  private static final Pattern PACKAGE =
      Pattern.compile("^package\\s+([\\w.]+);", Pattern.MULTILINE);

  /** A library prefix and the package prefixes allowed to import it. */
  private record Rule(String library, List<String> allowedPackages) {}

  private static final List<Rule> RULES =
      List.of(
          new Rule(
              "io.vertx.",
              List.of(
                  "io.haulproof.agent.", "io.haulproof.ledger.http", "io.haulproof.uplink.vertx")),
          new Rule("org.eclipse.paho.", List.of("io.haulproof.uplink.mqtt")),
          new Rule(
              "org.eclipse.californium.",
              List.of(
                  "io.haulproof.uplink.coap",
                  "io.haulproof.ledger.coap",
                  "io.haulproof.drivers.remote.coap")),
          new Rule("com.pi4j.", List.of("io.haulproof.drivers.pi4j")),
          new Rule("com.fazecast.", List.of("io.haulproof.drivers.serial")),
          new Rule("org.mapdb.", List.of("io.haulproof.lightchain.index.mapdb")));

  @Test
  void imports_everyModule_onlyAdapterPackagesImportTheirLibrary() throws IOException {
    // given
    List<Path> sources = mainSources();
    assertThat(sources).as("main sources found under %s", ROOT).isNotEmpty();

    // when
    List<String> violations = new ArrayList<>();
    for (Path file : sources) {
      String text = Files.readString(file);
      String pkg = packageOf(text, file);
      Matcher m = IMPORT.matcher(text);
      while (m.find()) {
        String imported = m.group(2);
        for (Rule rule : RULES) {
          if (imported.startsWith(rule.library())
              && rule.allowedPackages().stream().noneMatch(pkg::startsWith)) {
            violations.add(ROOT.relativize(file) + " (" + pkg + ") imports " + imported);
          }
        }
      }
    }

    // then
    assertThat(violations).isEmpty();
  }

  @Test
  void imports_lightchain_dependsOnNoOtherModule() throws IOException {
    // given
    List<Path> sources =
        mainSources().stream().filter(p -> ROOT.relativize(p).startsWith("lightchain")).toList();
    assertThat(sources).isNotEmpty();

    // when
    List<String> violations = new ArrayList<>();
    for (Path file : sources) {
      Matcher m = IMPORT.matcher(Files.readString(file));
      while (m.find()) {
        String imported = m.group(2);
        if (imported.startsWith("io.haulproof.")
            && !imported.startsWith("io.haulproof.lightchain.")) {
          violations.add(ROOT.relativize(file) + " imports " + imported);
        }
      }
    }

    // then
    assertThat(violations).isEmpty();
  }

  /** Files allowed to rename: the one durable-write helper, and MapDB's quarantine of its files. */
  private static final List<String> RENAMERS =
      List.of(
          "lightchain/src/main/java/io/haulproof/lightchain/files/DurableWriter.java",
          "lightchain/src/main/java/io/haulproof/lightchain/index/mapdb/MapDbStateStore.java");

  @Test
  void renames_everyModule_onlyTheDurableFilesHelperReplacesFiles() throws IOException {
    // given: a state, key or config file written any other way may skip an fsync (issue 12)
    List<Path> sources = mainSources();

    // when
    List<String> violations = new ArrayList<>();
    for (Path file : sources) {
      String rel = ROOT.relativize(file).toString();
      String text = Files.readString(file);
      if (!RENAMERS.contains(rel)
          && (text.contains("ATOMIC_MOVE") || text.contains("Files.move("))) {
        violations.add(rel + " renames a file itself; use lightchain.files.DurableFiles");
      }
    }

    // then
    assertThat(violations).isEmpty();
  }

  private static String packageOf(String text, Path file) {
    Matcher m = PACKAGE.matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("no package declaration in " + file);
    }
    return m.group(1) + ".";
  }

  private static List<Path> mainSources() throws IOException {
    List<Path> out = new ArrayList<>();
    for (String module :
        List.of(
            "lightchain", "device-drivers", "uplink", "ledger", "authenticator", "edge-agent")) {
      Path dir = ROOT.resolve(module).resolve("src/main/java");
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.filter(p -> p.toString().endsWith(".java")).forEach(out::add);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
    }
    return out;
  }
}
