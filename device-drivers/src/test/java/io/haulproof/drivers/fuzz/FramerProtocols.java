package io.haulproof.drivers.fuzz;

import io.haulproof.drivers.gps.UbxFramer;
import io.haulproof.drivers.reading.ByteFramer;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.Iso11784Code;
import io.haulproof.drivers.rfid.FdxbFrames;
import io.haulproof.drivers.rfid.FdxbUartReader;
import io.haulproof.drivers.rfid.TiMicroReader;
import io.haulproof.drivers.rfid.TirisAsciiReader;
import io.haulproof.drivers.rfid.UhfA0Reader;
import io.haulproof.drivers.scale.MtSicsReader;
import io.haulproof.drivers.scale.ToledoContinuousReader;
import io.haulproof.drivers.testing.Streams;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Every byte framer of the drivers (RFID, scale, UBX) with a generator of valid frames and an
 * independent validity check, shared by the seeded {@link ParserFuzzTest} and the Jazzer targets
 * ({@link DriverFuzzTargets}).
 */
final class FramerProtocols {
  private FramerProtocols() {}

  /**
   * A protocol under test: how to build its framer, a valid frame, and an independent validity
   * check.
   */
  record Protocol(
      String name,
      Function<DriverMetrics, ByteFramer> framer,
      Function<Random, byte[]> valid,
      Predicate<byte[]> independentlyValid) {
    @Override
    public String toString() {
      return name;
    }
  }

  static final List<Protocol> ALL =
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
              FramerProtocols::tiFrame,
              f ->
                  f[0] == 1
                      && (f[1] & 0xFF) + 3 == f.length
                      && xor(f, 1, f.length - 1) == (f[f.length - 1] & 0xFF)),
          new Protocol(
              "uhf-a0",
              m -> new UhfA0Reader("r", Streams.ticking(), r -> {}, m),
              FramerProtocols::a0Frame,
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
              FramerProtocols::ubxFrame,
              f -> (f[0] & 0xFF) == 0xB5 && f[1] == 0x62 && ubxCkOk(f)));

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

  /**
   * Whether the line's checksum is right; its hex digits may be lower case, as the parser allows.
   */
  static boolean checksumOk(String line) {
    int star = line.lastIndexOf('*');
    return star > 0
        && fixChecksum(line).equals(line.substring(0, star) + line.substring(star).toUpperCase());
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
