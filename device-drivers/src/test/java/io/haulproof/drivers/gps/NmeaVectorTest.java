package io.haulproof.drivers.gps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.MalformedFrameException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs every file in vectors/nmea as its own case. */
class NmeaVectorTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Path> vectors() throws Exception {
    Path dir =
        Paths.get(NmeaVectorTest.class.getResource("/vectors/nmea/README.md").toURI()).getParent();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    assertThat(files).as("NMEA vector files").isNotEmpty();
    return files.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void vector_parsed_matchesExpectation(Path file) throws Exception {
    // given
    JsonNode v = JSON.readTree(file.toFile());
    DriverMetrics metrics = new DriverMetrics("nmea");
    NmeaParser parser = new NmeaParser(NmeaOptions.strict(), metrics);
    String line = v.get("line").asText() + "\r\n";

    if (!v.get("wantErr").isNull()) {
      // when / then
      String reason = v.get("wantErr").asText();
      assertThatThrownBy(() -> parser.parse(line))
          .isInstanceOf(MalformedFrameException.class)
          .satisfies(e -> assertThat(((MalformedFrameException) e).reason()).isEqualTo(reason));
      assertThat(metrics.rejectedCount(reason)).isEqualTo(1);
      assertThat(metrics.acceptedCount()).isZero();
      return;
    }
    // when
    NmeaSentence s = parser.parse(line);
    // then
    JsonNode want = v.get("want");
    assertThat(s.talker()).isEqualTo(want.get("talker").asText());
    assertThat(s.type()).isEqualTo(want.get("sentence").asText());
    if (want.get("fix").isNull()) {
      assertThat(s.fix()).isEmpty();
    } else {
      assertThat(s.fix()).contains(want.get("fix").asBoolean());
    }
    if (want.get("lat").isNull()) {
      assertThat(s.latitude()).isEmpty();
      assertThat(s.longitude()).isEmpty();
    } else {
      assertThat(s.latitude().getAsDouble()).isCloseTo(want.get("lat").asDouble(), within(1e-6));
      assertThat(s.longitude().getAsDouble()).isCloseTo(want.get("lon").asDouble(), within(1e-6));
    }
    if (want.get("utc").isNull()) {
      assertThat(s.utc()).isEmpty();
    } else {
      assertThat(s.utc().get().format(DateTimeFormatter.ofPattern("HH:mm:ss.SSS")))
          .isEqualTo(want.get("utc").asText());
    }
    assertThat(metrics.acceptedCount()).isEqualTo(1);
  }
}
