package io.haulproof.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code haulproof nmea decode} contract (DESIGN.md, CLI), run in-process through {@link
 * Main#run}.
 */
class NmeaCommandTest {
  private InputStream oldIn;
  private PrintStream oldOut;
  private PrintStream oldErr;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @BeforeEach
  void redirect() {
    oldIn = System.in;
    oldOut = System.out;
    oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setIn(oldIn);
    System.setOut(oldOut);
    System.setErr(oldErr);
  }

  private List<String> run(String stdin, String... args) {
    System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.ISO_8859_1)));
    int code = Main.run(args);
    assertThat(code).isZero();
    return out.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void decode_contractExampleRmc_exactJson() {
    // given the GGA/RMC vectors of DOMAIN.md, which decode to the contract's example position
    String in = "$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A\r\n";
    // when
    List<String> lines = run(in, "nmea", "decode");
    // then
    assertThat(lines)
        .containsExactly(
            "{\"ok\":true,\"talker\":\"GP\",\"sentence\":\"RMC\",\"fix\":true,\"lat\":48.1173,\"lon\":11.516667,"
                + "\"utc\":\"12:35:19.000\"}");
  }

  @Test
  void decode_mixedInput_oneObjectPerLineAndExitZero() {
    // given
    String in =
        String.join(
                "\n",
                "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47",
                "$GPGSA,A,3,23,13,16,19,06,,,,,,,,2.60,2.42,0.95*04",
                "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*48",
                "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,",
                "garbage \u00ff",
                "",
                "$GPGGA,123519,4867.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*41")
            + "\n";
    // when
    List<String> lines = run(in, "nmea", "decode");
    // then
    assertThat(lines).hasSize(7);
    assertThat(lines.get(0))
        .isEqualTo(
            "{\"ok\":true,\"talker\":\"GP\",\"sentence\":\"GGA\",\"fix\":true,"
                + "\"lat\":48.1173,\"lon\":11.516667,\"utc\":\"12:35:19.000\"}");
    assertThat(lines.get(1))
        .isEqualTo(
            "{\"ok\":true,\"talker\":\"GP\",\"sentence\":\"GSA\",\"fix\":true,"
                + "\"lat\":null,\"lon\":null,\"utc\":null}");
    assertThat(lines.get(2))
        .startsWith("{\"ok\":false,\"error\":\"checksum: computed 47, sentence says 48");
    assertThat(lines.get(3))
        .isEqualTo("{\"ok\":false,\"error\":\"checksum: missing *hh checksum\"}");
    assertThat(lines.get(4)).startsWith("{\"ok\":false,\"error\":\"charset");
    assertThat(lines.get(5)).startsWith("{\"ok\":false,\"error\":\"start");
    assertThat(lines.get(6)).startsWith("{\"ok\":false,\"error\":\"range");
  }

  @Test
  void decode_allowMissingChecksumOption_acceptsUnchecksummed() {
    List<String> lines =
        run(
            "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,\n",
            "nmea",
            "decode",
            "--allow-missing-checksum");
    assertThat(lines.get(0)).startsWith("{\"ok\":true");
  }

  @Test
  void decode_unknownOption_usageExitTwo() {
    System.setIn(new ByteArrayInputStream(new byte[0]));
    assertThat(Main.run("nmea", "decode", "--bogus")).isEqualTo(Main.EXIT_USAGE);
    assertThat(Main.run("nmea", "decode", "--max-length", "500")).isEqualTo(Main.EXIT_USAGE);
  }

  /**
   * Every GGA/RMC sentence that gpsd decoded in its 84 real receiver captures (echoed in the {@code
   * .log.chk} files) goes through {@code nmea decode} with default options; none is refused for its
   * length. 381 of them are longer than NMEA's nominal 82 characters.
   */
  @Test
  void decode_gpsdCapturesDefaultOptions_noRealSentenceRefusedForLength() throws IOException {
    // given
    List<String> sentences = gpsdDecodedGgaRmc();
    List<String> overNominal = sentences.stream().filter(l -> l.length() > 82).toList();
    assertThat(overNominal).hasSize(381);
    // when
    List<String> lines = run(String.join("\r\n", sentences) + "\r\n", "nmea", "decode");
    // then
    assertThat(lines).hasSize(sentences.size());
    for (int i = 0; i < lines.size(); i++) {
      assertThat(lines.get(i)).as(sentences.get(i)).doesNotContain("\"error\":\"length");
    }
    long accepted = lines.stream().filter(l -> l.startsWith("{\"ok\":true")).count();
    assertThat(accepted).isGreaterThan(sentences.size() * 9L / 10);
  }

  @Test
  void decode_gpsdCapturesStandardMaxLength_longSentencesRefusedForLength() throws IOException {
    // given the same captures with the bound lowered to the standard's 82
    List<String> overNominal = gpsdDecodedGgaRmc().stream().filter(l -> l.length() > 82).toList();
    // when
    List<String> lines =
        run(String.join("\n", overNominal) + "\n", "nmea", "decode", "--max-length", "82");
    // then
    assertThat(lines).hasSize(381).allMatch(l -> l.startsWith("{\"ok\":false,\"error\":\"length"));
  }

  private static List<String> gpsdDecodedGgaRmc() throws IOException {
    Path dir = Path.of("..", "device-drivers", "src", "test", "resources", "captures", "gpsd");
    List<Path> checks;
    try (Stream<Path> s = Files.list(dir)) {
      checks = s.filter(p -> p.toString().endsWith(".log.chk")).sorted().toList();
    }
    assertThat(checks).hasSize(84);
    List<String> out = new java.util.ArrayList<>();
    for (Path chk : checks) {
      for (String line :
          new String(Files.readAllBytes(chk), StandardCharsets.ISO_8859_1).split("\n")) {
        String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        if (l.matches("^\\$..(GGA|RMC),.*")) {
          out.add(l);
        }
      }
    }
    return out;
  }
}
