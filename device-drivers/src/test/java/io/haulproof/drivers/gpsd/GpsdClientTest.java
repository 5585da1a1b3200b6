package io.haulproof.drivers.gpsd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.FixMode;
import io.haulproof.drivers.reading.GpsFix;
import io.haulproof.drivers.reading.ReadingStatus;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.lightchain.testing.Await;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The gpsd client over TCP against {@link FakeGpsd}, which serves gpsd's own JSON output recorded
 * in the gpsd regression suite (captures/gpsd/ac12.log.chk) and hostile reports (vectors/gpsd),
 * after checking the client sent ?WATCH.
 */
class GpsdClientTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GOOD_TPV =
      "{\"class\":\"TPV\",\"mode\":3,\"time\":\"2026-03-01T08:00:00.000Z\","
          + "\"lat\":53.5511,\"lon\":9.9937}";

  private static List<String> recordedReports() throws Exception {
    try (var in = GpsdClientTest.class.getResourceAsStream("/captures/gpsd/ac12.log.chk")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(l -> l.startsWith("{"))
          .toList();
    }
  }

  private static GpsdClient client(FakeGpsd gpsd, Consumer<GpsFix> sink, DriverMetrics m) {
    return new GpsdClient(gpsd.address(), "gpsd0", Duration.ofSeconds(1), Stamp::now, sink, m)
        .start();
  }

  private static List<byte[]> utf8(List<String> lines) {
    return lines.stream().map(l -> l.getBytes(StandardCharsets.UTF_8)).toList();
  }

  @Test
  void client_recordedTpvAndSky_fixesWithGpsdValues() throws Exception {
    // given
    List<String> lines = new ArrayList<>(recordedReports());
    long tpvCount = lines.stream().filter(l -> l.contains("\"class\":\"TPV\"")).count();
    lines.addAll(
        List.of(
            "{\"class\":\"TPV\",\"mode\":3,\"lat\":91.5,\"lon\":0}",
            "not json",
            "{\"class\":\"TPV\",\"mode\":1}"));
    List<GpsFix> fixes = new CopyOnWriteArrayList<>();
    DriverMetrics m = new DriverMetrics("gpsd");
    String command;
    // when
    try (FakeGpsd gpsd = new FakeGpsd(utf8(lines))) {
      try (GpsdClient c = client(gpsd, fixes::add, m)) {
        long handled = 1 + lines.size(); // VERSION and the lines
        Await.until(
            () -> m.acceptedCount() + m.rejectedTotal() >= handled,
            Duration.ofSeconds(60),
            handled + " lines handled",
            m::toString);
      }
      command = gpsd.command();
    }
    // then
    assertThat(command).isEqualTo("?WATCH={\"enable\":true,\"json\":true};");
    assertThat(fixes).hasSize((int) tpvCount + 1); // plus the mode-1 TPV after the junk lines
    GpsFix first = fixes.stream().filter(f -> f.utcTime().isPresent()).findFirst().orElseThrow();
    assertThat(first.utcTime()).contains(LocalTime.of(19, 32, 21));
    assertThat(first.latitude().getAsDouble()).isCloseTo(20.628798333, within(1e-9));
    assertThat(first.mode()).isEqualTo(FixMode.FIX_3D);
    assertThat(first.status()).isEqualTo(ReadingStatus.VALID);
    assertThat(m.rejectedByReason()).isEqualTo(Map.of("json", 1L, "range", 1L));
  }

  /** Every file of vectors/gpsd, then the cases too large for a file and one not in UTF-8. */
  static Stream<Arguments> hostileReports() throws Exception {
    Path dir =
        Path.of(GpsdClientTest.class.getResource("/vectors/gpsd/README.md").toURI()).getParent();
    List<Arguments> cases = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        JsonNode v = JSON.readTree(f.toFile());
        cases.add(
            Arguments.of(
                v.get("desc").asText(),
                v.get("line").asText().getBytes(StandardCharsets.UTF_8),
                v.get("wantErr").asText()));
      }
    }
    assertThat(cases).as("gpsd vector files").isNotEmpty();
    String tpv = "{\"class\":\"TPV\",\"mode\":3,";
    cases.add(
        generated("lat 2000 digits", tpv + "\"lat\":" + "9".repeat(2000) + ",\"lon\":0}", "json"));
    cases.add(
        generated(
            "nested 5000 deep",
            tpv + "\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}",
            "json"));
    cases.add(
        generated("line over 64 KiB", tpv + "\"x\":\"" + "a".repeat(70_000) + "\"}", "length"));
    byte[] notUtf8 = (tpv + "\"lat\":\u00ff}").getBytes(StandardCharsets.ISO_8859_1);
    cases.add(Arguments.of("bytes not UTF-8", notUtf8, "json"));
    return cases.stream();
  }

  private static Arguments generated(String desc, String line, String wantErr) {
    return Arguments.of(desc, line.getBytes(StandardCharsets.UTF_8), wantErr);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileReports")
  void client_hostileReportThenGoodTpv_rejectedWithReasonAndGoodTpvDelivered(
      String name, byte[] hostile, String reason) throws Exception {
    // given
    List<GpsFix> fixes = new CopyOnWriteArrayList<>();
    DriverMetrics m = new DriverMetrics("gpsd");
    // when
    try (FakeGpsd gpsd = new FakeGpsd(List.of(hostile, GOOD_TPV.getBytes(StandardCharsets.UTF_8)));
        GpsdClient c = client(gpsd, fixes::add, m)) {
      Await.until(
          () -> m.acceptedCount() >= 2, // VERSION and the good TPV
          Duration.ofSeconds(20),
          "the good TPV after the hostile report",
          m::toString);
    }
    // then
    assertThat(m.rejectedByReason()).isEqualTo(Map.of(reason, 1L));
    assertThat(fixes).singleElement().satisfies(f -> assertThat(f.latitude()).hasValue(53.5511));
  }

  @Test
  void client_sinkThrows_faultCountedAndNextTpvDelivered() throws Exception {
    // given: a sink that fails on its first fix
    List<GpsFix> fixes = new CopyOnWriteArrayList<>();
    Consumer<GpsFix> sink =
        f -> {
          if (fixes.isEmpty() && f.mode() == FixMode.NO_FIX) {
            throw new IllegalStateException("sink failed on purpose");
          }
          fixes.add(f);
        };
    DriverMetrics m = new DriverMetrics("gpsd");
    // when
    try (FakeGpsd gpsd = new FakeGpsd(utf8(List.of("{\"class\":\"TPV\",\"mode\":1}", GOOD_TPV)));
        GpsdClient c = client(gpsd, sink, m)) {
      Await.until(
          () -> m.acceptedCount() >= 2, Duration.ofSeconds(20), "the good TPV", m::toString);
    }
    // then
    assertThat(m.rejectedByReason()).isEqualTo(Map.of("fault", 1L));
    assertThat(fixes)
        .singleElement()
        .satisfies(f -> assertThat(f.mode()).isEqualTo(FixMode.FIX_3D));
  }
}
