package io.haulproof.drivers.gpsd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.FixMode;
import io.haulproof.drivers.reading.GpsFix;
import io.haulproof.drivers.reading.ReadingStatus;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.lightchain.testing.Await;
import java.nio.charset.StandardCharsets;
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
 * in the gpsd regression suite (captures/gpsd/ac12.log.chk) and hostile reports, after checking the
 * client sent ?WATCH.
 */
class GpsdClientTest {
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

  static Stream<Arguments> hostileReports() {
    String tpv = "{\"class\":\"TPV\",\"mode\":3,";
    List<Arguments> cases = new ArrayList<>();
    for (String[] c :
        new String[][] {
          {"lat over 90", tpv + "\"lat\":91.5,\"lon\":0}", "range"},
          {"lat just under -90", tpv + "\"lat\":-90.000001,\"lon\":0}", "range"},
          {"lon over 180", tpv + "\"lat\":1,\"lon\":180.5}", "range"},
          {"lat NaN", tpv + "\"lat\":NaN,\"lon\":0}", "json"},
          {"lat Infinity", tpv + "\"lat\":Infinity,\"lon\":0}", "json"},
          {"lat 1e400", tpv + "\"lat\":1e400,\"lon\":0}", "range"},
          {"lat huge integer", tpv + "\"lat\":123456789012345678901234567890,\"lon\":0}", "range"},
          {"lat 2000 digits", tpv + "\"lat\":" + "9".repeat(2000) + ",\"lon\":0}", "json"},
          {"lat a string", tpv + "\"lat\":\"53.5\",\"lon\":\"9.9\"}", "range"},
          {"lat a boolean", tpv + "\"lat\":true,\"lon\":0}", "range"},
          {"lat an array", tpv + "\"lat\":[53.5],\"lon\":0}", "range"},
          {"lat an object", tpv + "\"lat\":{},\"lon\":0}", "range"},
          {"lat twice, last out of range", tpv + "\"lat\":1,\"lon\":2,\"lat\":95}", "range"},
          {"lon missing", tpv + "\"lat\":53.5}", "field"},
          {
            "mode past 32 bits",
            "{\"class\":\"TPV\",\"mode\":4294967299,\"lat\":1,\"lon\":2}",
            "range"
          },
          {"mode a string", "{\"class\":\"TPV\",\"mode\":\"3\"}", "range"},
          {"mode a fraction", "{\"class\":\"TPV\",\"mode\":3.0}", "range"},
          {"mode negative", "{\"class\":\"TPV\",\"mode\":-1}", "range"},
          {"mode null", "{\"class\":\"TPV\",\"mode\":null}", "range"},
          {"time past LocalDate", tpv + "\"time\":\"+1000000000-12-31T23:59:59Z\"}", "field"},
          {"time before LocalDate", tpv + "\"time\":\"-1000000000-01-01T00:00:00Z\"}", "field"},
          {"time 30 February", tpv + "\"time\":\"2026-02-30T00:00:00Z\"}", "field"},
          {"time a number", tpv + "\"time\":1764960000}", "field"},
          {"time an object", tpv + "\"time\":{\"s\":1}}", "field"},
          {"alt a million", tpv + "\"lat\":1,\"lon\":2,\"alt\":1e6}", "range"},
          {"speed negative", tpv + "\"lat\":1,\"lon\":2,\"speed\":-1}", "range"},
          {"track 361", tpv + "\"lat\":1,\"lon\":2,\"track\":361}", "range"},
          {"class missing", "{\"mode\":3,\"lat\":1,\"lon\":2}", "field"},
          {"class a number", "{\"class\":7}", "field"},
          {"class an array", "{\"class\":[\"TPV\"],\"lat\":95,\"lon\":0}", "field"},
          {"SKY uSat past 32 bits", "{\"class\":\"SKY\",\"uSat\":4294967297}", "range"},
          {"SKY hdop negative", "{\"class\":\"SKY\",\"hdop\":-1}", "range"},
          {"nested 5000 deep", tpv + "\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}", "json"},
          {"line over 64 KiB", tpv + "\"x\":\"" + "a".repeat(70_000) + "\"}", "length"},
          {"truncated", tpv + "\"lat\":53.5", "json"},
          {"not json", "GPGGA,123519,4807.038,N", "json"}
        }) {
      cases.add(Arguments.of(c[0], c[1].getBytes(StandardCharsets.UTF_8), c[2]));
    }
    byte[] notUtf8 = (tpv + "\"lat\":\u00ff}").getBytes(StandardCharsets.ISO_8859_1);
    cases.add(Arguments.of("bytes not UTF-8", notUtf8, "json"));
    return cases.stream();
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
