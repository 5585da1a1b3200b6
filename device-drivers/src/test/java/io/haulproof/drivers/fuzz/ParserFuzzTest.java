package io.haulproof.drivers.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.drivers.gps.NmeaOptions;
import io.haulproof.drivers.gps.NmeaParser;
import io.haulproof.drivers.gps.NmeaSentence;
import io.haulproof.drivers.gps.UbxFramer;
import io.haulproof.drivers.reading.ByteFramer;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.Iso11784Code;
import io.haulproof.drivers.reading.MalformedFrameException;
import io.haulproof.drivers.rfid.FdxbFrames;
import io.haulproof.drivers.rfid.FdxbUartReader;
import io.haulproof.drivers.rfid.TiMicroReader;
import io.haulproof.drivers.rfid.TirisAsciiReader;
import io.haulproof.drivers.rfid.UhfA0Reader;
import io.haulproof.drivers.scale.MtSicsReader;
import io.haulproof.drivers.scale.ToledoContinuousReader;
import io.haulproof.drivers.testing.Streams;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded random and mutation fuzzing of every framer: valid frames, mutated copies and random
 * bytes, fed in random splits. Invariants: only {@link MalformedFrameException} is used internally
 * and nothing escapes; the buffer stays within its bound; every accepted frame is a contiguous
 * slice of the input that an independent check accepts; bytes are either in accepted frames,
 * skipped or part of a counted reject.
 */
class ParserFuzzTest {
  /**
   * A protocol under test: how to build its framer, a valid frame, and an independent validity
   * check.
   */
  private record Protocol(
      String name,
      Function<DriverMetrics, ByteFramer> framer,
      Function<Random, byte[]> valid,
      Predicate<byte[]> independentlyValid) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static final List<Protocol> PROTOCOLS =
      List.of(
          new Protocol(
              "toledo",
              m -> new ToledoContinuousReader("s", true, Streams.ticking(), r -> {}, m),
              rnd ->
                  ToledoContinuousReader.encode(
                      0x20 | (1 << 3) | 4,
                      0x30 | (rnd.nextBoolean() ? 8 : 0),
                      0x20,
                      rnd.nextInt(999999),
                      rnd.nextInt(999999),
                      true),
              f -> f.length == 18 && (f[17] & 0x7F) == toledoChk(f)),
          new Protocol(
              "fdxb-uart",
              m -> new FdxbUartReader("r", Streams.ticking(), r -> {}, m),
              rnd ->
                  FdxbFrames.frame(
                      Iso11784Code.of(
                          rnd.nextInt(1024), (rnd.nextLong() >>> 26), rnd.nextBoolean(), false)),
              f ->
                  f.length == 30
                      && f[0] == 2
                      && f[29] == 3
                      && (f[27] & 0xFF) == xor(f, 1, 27)
                      && (f[28] & 0xFF) == (~xor(f, 1, 27) & 0xFF)),
          new Protocol(
              "ti-micro",
              m -> new TiMicroReader("r", Streams.ticking(), r -> {}, m),
              ParserFuzzTest::tiFrame,
              f ->
                  f[0] == 1
                      && (f[1] & 0xFF) + 3 == f.length
                      && xor(f, 1, f.length - 1) == (f[f.length - 1] & 0xFF)),
          new Protocol(
              "uhf-a0",
              m -> new UhfA0Reader("r", Streams.ticking(), r -> {}, m),
              ParserFuzzTest::a0Frame,
              f -> (f[0] & 0xFF) == 0xA0 && (f[1] & 0xFF) + 2 == f.length && sum(f) % 256 == 0),
          new Protocol(
              "tiris-ascii",
              m -> new TirisAsciiReader("r", Streams.ticking(), r -> {}, m),
              rnd ->
                  ("R " + rnd.nextInt(4096) + " " + (rnd.nextLong() >>> 12) + "\r\n")
                      .getBytes(StandardCharsets.US_ASCII),
              f ->
                  new String(f, StandardCharsets.US_ASCII)
                      .strip()
                      .matches("[RWM] \\d{1,4} \\d{1,16}")),
          new Protocol(
              "mt-sics",
              m -> new MtSicsReader("s", Streams.ticking(), r -> {}, m),
              rnd ->
                  String.format(
                          "S %s %10.2f kg\r\n",
                          rnd.nextBoolean() ? "S" : "D", rnd.nextInt(100000) / 100.0)
                      .getBytes(StandardCharsets.US_ASCII),
              f ->
                  new String(f, StandardCharsets.US_ASCII)
                      .strip()
                      .matches("S [SD]\\s+-?\\d+(\\.\\d+)?\\s+\\w+|S [+-]")),
          new Protocol(
              "ubx",
              m -> new UbxFramer(u -> {}, m),
              ParserFuzzTest::ubxFrame,
              f -> (f[0] & 0xFF) == 0xB5 && f[1] == 0x62 && ubxCkOk(f)));

  static Stream<Arguments> cases() {
    return PROTOCOLS.stream()
        .flatMap(p -> IntStream.range(0, 8).mapToObj(seed -> Arguments.of(p, seed)));
  }

  @ParameterizedTest(name = "{0} seed {1}")
  @MethodSource("cases")
  void framer_mutatedAndRandomInput_invariantsHold(Protocol p, int seed) {
    // given
    Random rnd = new Random(1000L * seed + p.name().hashCode());
    List<byte[]> frames = new ArrayList<>();
    int validCount = 0;
    for (int i = 0; i < 300; i++) {
      byte[] f = p.valid().apply(rnd);
      switch (rnd.nextInt(4)) {
        case 0 -> frames.add(Streams.mutate(f, rnd));
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
          Streams.mutate(
              seeds[rnd.nextInt(seeds.length)].getBytes(StandardCharsets.ISO_8859_1), rnd);
      String line = new String(b, StandardCharsets.ISO_8859_1);
      if (rnd.nextInt(3) == 0) {
        line = fixChecksum(line); // reach the field validation behind the checksum
      }
      try {
        NmeaSentence s = parser.parse(line);
        accepted++;
        // then: anything accepted has a correct checksum and sane values
        assertThat(checksumOk(line)).as(line).isTrue();
        s.latitude().ifPresent(lat -> assertThat(Math.abs(lat)).isLessThanOrEqualTo(90));
        s.longitude().ifPresent(lon -> assertThat(Math.abs(lon)).isLessThanOrEqualTo(180));
      } catch (MalformedFrameException e) {
        assertThat(e.reason()).isNotBlank();
      }
    }
    assertThat(m.acceptedCount()).isEqualTo(accepted);
    assertThat(m.acceptedCount() + m.rejectedTotal()).isEqualTo(20_000);
  }

  static String fixChecksum(String line) {
    int star = line.lastIndexOf('*');
    if (!line.startsWith("$") || star < 1) {
      return line;
    }
    int x = 0;
    for (int i = 1; i < star; i++) {
      x ^= line.charAt(i);
    }
    return line.substring(0, star) + String.format("*%02X", x & 0xFF);
  }

  static boolean checksumOk(String line) {
    int star = line.lastIndexOf('*');
    return star > 0 && fixChecksum(line).equals(line);
  }

  static int toledoChk(byte[] f) {
    int s = 0;
    for (int i = 0; i < 17; i++) {
      s += f[i] & 0x7F;
    }
    return (-s) & 0x7F;
  }

  static int xor(byte[] f, int from, int to) {
    int x = 0;
    for (int i = from; i < to; i++) {
      x ^= f[i] & 0xFF;
    }
    return x;
  }

  static int sum(byte[] f) {
    int s = 0;
    for (byte b : f) {
      s += b & 0xFF;
    }
    return s;
  }

  static byte[] tiFrame(Random rnd) {
    int n = 1 + rnd.nextInt(9);
    byte[] f = new byte[n + 3];
    f[0] = 1;
    f[1] = (byte) n;
    for (int i = 2; i < n + 2; i++) {
      f[i] = (byte) rnd.nextInt(256);
    }
    f[n + 2] = (byte) xor(f, 1, n + 2);
    return f;
  }

  static byte[] a0Frame(Random rnd) {
    int n = 3 + rnd.nextInt(20);
    byte[] f = new byte[n + 2];
    f[0] = (byte) 0xA0;
    f[1] = (byte) n;
    for (int i = 2; i < f.length - 1; i++) {
      f[i] = (byte) rnd.nextInt(256);
    }
    f[f.length - 1] = (byte) UhfA0Reader.check(f, 0, f.length - 1);
    return f;
  }

  static byte[] ubxFrame(Random rnd) {
    byte[] payload = new byte[rnd.nextInt(40)];
    rnd.nextBytes(payload);
    return UbxFramer.encode(rnd.nextInt(256), rnd.nextInt(256), payload);
  }

  static boolean ubxCkOk(byte[] f) {
    int a = 0;
    int b = 0;
    for (int i = 2; i < f.length - 2; i++) {
      a = (a + (f[i] & 0xFF)) & 0xFF;
      b = (b + a) & 0xFF;
    }
    return (f[f.length - 2] & 0xFF) == a
        && (f[f.length - 1] & 0xFF) == b
        && ((f[4] & 0xFF) | (f[5] & 0xFF) << 8) + 8 == f.length;
  }
}
