package io.haulproof.drivers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps adapter libraries in their adapter packages (STYLE.md, docs/architecture.md) by scanning
 * imports.
 */
class ArchitectureTest {
  private static final Path MAIN = Paths.get("src/main/java/io/haulproof/drivers");
  private static final Map<String, String> ALLOWED =
      Map.of(
          "com.pi4j", "pi4j",
          "com.fazecast", "serial",
          "org.eclipse.californium", "remote/coap");

  @Test
  void imports_adapterLibrariesOnlyInTheirPackages_noVertxMapdbOrPaho() throws IOException {
    // given
    List<Path> files;
    try (Stream<Path> s = Files.walk(MAIN)) {
      files = s.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertThat(files).hasSizeGreaterThan(40);
    List<String> violations = new ArrayList<>();
    // when
    for (Path f : files) {
      String pkg = MAIN.relativize(f.getParent()).toString();
      for (String line : Files.readAllLines(f)) {
        if (!line.startsWith("import ")) {
          continue;
        }
        // MQTT is uplink's transport (its connection supervisor): no Paho client here
        if (line.contains("io.vertx")
            || line.contains("org.mapdb")
            || line.contains("org.eclipse.paho")) {
          violations.add(f + ": " + line);
        }
        ALLOWED.forEach(
            (lib, home) -> {
              if (line.contains(" " + lib + ".") && !pkg.equals(home)) {
                violations.add(f + ": " + line + " (only in " + home + ")");
              }
            });
      }
    }
    // then
    assertThat(violations).isEmpty();
  }

  @Test
  void parsers_packagesWithoutTransportImports() throws IOException {
    for (String pure : List.of("gps", "rfid", "scale", "reading", "remote")) {
      try (Stream<Path> s = Files.list(MAIN.resolve(pure))) {
        for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
          assertThat(Files.readString(f))
              .as(f.toString())
              .doesNotContain("import java.net.Socket")
              .doesNotContain("import com.pi4j")
              .doesNotContain("import com.fazecast");
        }
      }
    }
  }
}
