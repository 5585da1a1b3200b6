package io.haulproof.drivers.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haulproof.drivers.gps.NmeaOptions;
import io.haulproof.drivers.gps.NmeaParser;
import io.haulproof.drivers.gps.NmeaSentence;
import io.haulproof.drivers.reading.ByteFramer;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.MalformedFrameException;
import io.haulproof.lightchain.cbor.Mutator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random and mutation fuzzing of every framer: valid frames, mutated copies and random
 * bytes, fed in random splits; and of the NMEA parser and the gpsd client's report handling.
 * Invariants: only {@link MalformedFrameException} is used internally and nothing escapes; the
 * buffer stays within its bound; every accepted frame is a contiguous slice of the input that an
 * independent check accepts; bytes are either in accepted frames, skipped or part of a counted
 * reject.
 */
class ParserFuzzTest {
  static Stream<Arguments> cases() {
    return FramerProtocols.ALL.stream()
        .flatMap(p -> IntStream.range(0, 8).mapToObj(seed -> Arguments.of(p, seed)));
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("cases")
  void framer_mutatedAndRandomInput_invariantsHold(FramerProtocols.Protocol p, int seed) {
    // given
    Random rnd = new Random(1000L * seed + p.name().hashCode());
    List<byte[]> frames = new ArrayList<>();
    int validCount = 0;
    for (int i = 0; i < 300; i++) {
      byte[] f = p.valid().apply(rnd);
      switch (rnd.nextInt(4)) {
        case 0 -> frames.add(new Mutator(rnd).mutate(f));
        case 1 -> {
          byte[] r = new byte[rnd.nextInt(40)];
          rnd.nextBytes(r);
          frames.add(r);
        }
        default -> {
          frames.add(f);
          validCount++;
        }
      }
    }
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    frames.forEach(all::writeBytes);
    byte[] input = all.toByteArray();
    DriverMetrics m = new DriverMetrics(p.name());
    ByteFramer framer = p.framer().apply(m);
    List<byte[]> accepted = new ArrayList<>();
    framer.onAccepted(accepted::add);
    // when
    int i = 0;
    while (i < input.length) {
      int n = 1 + rnd.nextInt(Math.min(64, input.length - i));
      framer.feed(input, i, n);
      assertThat(framer.buffered()).isLessThanOrEqualTo(framer.maxFrame());
      i += n;
    }
    framer.idle();
    // then
    assertThat(framer.buffered()).isZero();
    assertThat(m.acceptedCount()).isEqualTo(accepted.size());
    String hay = new String(input, StandardCharsets.ISO_8859_1);
    for (byte[] f : accepted) {
      assertThat(hay).contains(new String(f, StandardCharsets.ISO_8859_1));
      assertThat(p.independentlyValid().test(f))
          .as("%s accepted an invalid frame", p.name())
          .isTrue();
    }
    // every valid frame not damaged by its neighbours is found: at least 60% of them
    assertThat(accepted.size()).isGreaterThanOrEqualTo(validCount * 6 / 10);
    assertThat(m.rejectedTotal() + m.skippedBytes()).isPositive();
  }

  /** Raw JSON values that gpsd never sends: out of range, past 32 bits, wrong type, too deep. */
  private static final List<String> HOSTILE_JSON_VALUES =
      List.of(
          "91.5",
          "-90.0000001",
          "180.5",
          "1e400",
          "-1e400",
          "1e-400",
          "-0.0",
          "3.0",
          "4294967299",
          "-2147483649",
          "123456789012345678901234567890",
          "9".repeat(1100),
          "NaN",
          "\"3\"",
          "\"\"",
          "null",
          "true",
          "[]",
          "{}",
          "[".repeat(1200) + "]".repeat(1200),
          "\"+1000000000-12-31T23:59:59Z\"",
          "\"-1000000000-01-01T00:00:00Z\"",
          "\"2026-02-30T00:00:00Z\"");

  private static final List<String> GPSD_FIELDS =
      List.of(
          "class", "mode", "time", "lat", "lon", "alt", "altMSL", "speed", "track", "uSat", "hdop",
          "pdop", "vdop");

  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<String> recordedGpsdReports() throws IOException, URISyntaxException {
    Path dir = Path.of(ParserFuzzTest.class.getResource("/captures/gpsd").toURI());
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".chk")).sorted().toList()) {
        Files.readAllLines(f, StandardCharsets.UTF_8).stream()
            .filter(l -> l.startsWith("{"))
            .forEach(out::add);
      }
    }
    assertThat(out).as("recorded gpsd reports").isNotEmpty();
    return out;
  }

  /** One field of a recorded report set to a hostile raw value, or dropped. */
  private static String mutateField(String report, Random rnd) throws IOException {
    ObjectNode n = (ObjectNode) JSON.readTree(report);
    String field = GPSD_FIELDS.get(rnd.nextInt(GPSD_FIELDS.size()));
    if (rnd.nextInt(5) == 0) {
      n.remove(field);
      return JSON.writeValueAsString(n);
    }
    n.put(field, "@@hostile@@");
    return JSON.writeValueAsString(n)
        .replace(
            "\"@@hostile@@\"", HOSTILE_JSON_VALUES.get(rnd.nextInt(HOSTILE_JSON_VALUES.size())));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6, 7})
  void gpsdClient_recordedReportsWithHostileFields_onlyInputRejectsAndFixesFromValidTpvs(int seed)
      throws Exception {
    // given: recorded gpsd reports, half with one field made hostile, some with bytes mutated
    Random rnd = new Random(seed);
    List<String> recorded = recordedGpsdReports();
    StringBuilder input = new StringBuilder();
    for (int i = 0; i < 400; i++) {
      String r = recorded.get(rnd.nextInt(recorded.size()));
      String line =
          switch (rnd.nextInt(4)) {
            case 0, 1 -> mutateField(r, rnd);
            case 2 ->
                new String(
                    new Mutator(rnd).mutate(r.getBytes(StandardCharsets.UTF_8)),
                    StandardCharsets.UTF_8);
            default -> r;
          };
      input.append(line).append('\n');
    }
    // when: the fuzz target's body, which checks every line is counted (never as a fault) and
    // that fixes come only from TPVs with mode 0..3, in range
    DriverMetrics m =
        DeviceInputTargets.gpsdOnce(input.toString().getBytes(StandardCharsets.UTF_8));
    // then
    assertThat(m.acceptedCount()).isPositive();
    assertThat(m.rejectedByReason().keySet())
        .isNotEmpty()
        .isSubsetOf("json", "length", "range", "field");
  }

  @Test
  void nmeaParser_mutatedSentences_onlyDomainExceptionAndAcceptedAreValid() {
    // given
    Random rnd = new Random(42);
    String[] seeds = {
      "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47",
      "$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A",
      "$GPRMC,221939.000,A,3632.0515,N,13638.2374,E,0.22,272.61,011013,,,A*66",
      "$GPGSA,A,3,23,13,16,19,06,,,,,,,,2.60,2.42,0.95*04",
      "$GPVTG,353.67,T,353.86,M,1.43,N,2.65,K,A*2B",
      "$GPGSV,3,3,11,22,42,067,42,24,14,311*4A"
    };
    DriverMetrics m = new DriverMetrics("nmea");
    NmeaParser parser = new NmeaParser(NmeaOptions.strict(), m);
    int accepted = 0;
    // when
    for (int i = 0; i < 20_000; i++) {
      byte[] b =
          new Mutator(rnd)
              .mutate(seeds[rnd.nextInt(seeds.length)].getBytes(StandardCharsets.ISO_8859_1));
      String line = new String(b, StandardCharsets.ISO_8859_1);
      if (rnd.nextInt(3) == 0) {
        line = FramerProtocols.fixChecksum(line); // reach the field validation behind the checksum
      }
      try {
        NmeaSentence s = parser.parse(line);
        accepted++;
        // then: anything accepted has a correct checksum and sane values
        assertThat(FramerProtocols.checksumOk(line)).as(line).isTrue();
        s.latitude().ifPresent(lat -> assertThat(Math.abs(lat)).isLessThanOrEqualTo(90));
        s.longitude().ifPresent(lon -> assertThat(Math.abs(lon)).isLessThanOrEqualTo(180));
      } catch (MalformedFrameException e) {
        assertThat(e.reason()).isNotBlank();
      }
    }
    assertThat(m.acceptedCount()).isEqualTo(accepted);
    assertThat(m.acceptedCount() + m.rejectedTotal()).isEqualTo(20_000);
  }
}
