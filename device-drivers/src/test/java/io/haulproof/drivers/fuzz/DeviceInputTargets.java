package io.haulproof.drivers.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.drivers.gps.NmeaOptions;
import io.haulproof.drivers.gps.NmeaParser;
import io.haulproof.drivers.gps.NmeaSentence;
import io.haulproof.drivers.gps.NmeaStreamDecoder;
import io.haulproof.drivers.gpsd.GpsdClient;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.GpsFix;
import io.haulproof.drivers.reading.MalformedFrameException;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.reading.WeightReading;
import io.haulproof.drivers.reading.WeightUnit;
import io.haulproof.drivers.scale.ModbusCrc;
import io.haulproof.drivers.scale.ModbusException;
import io.haulproof.drivers.scale.ModbusIndicatorClient;
import io.haulproof.drivers.scale.ModbusLink;
import io.haulproof.drivers.scale.ModbusWeightMap;
import io.haulproof.drivers.testing.Streams;
import io.haulproof.lightchain.fuzz.Allocation;
import io.haulproof.lightchain.fuzz.FuzzInput;
import io.haulproof.lightchain.fuzz.FuzzTarget;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Fuzz targets for the GNSS and scale inputs that are not plain framers: NMEA sentences (parser and
 * stream decoder), gpsd JSON reports, and Modbus RTU replies from a weighing indicator.
 */
final class DeviceInputTargets {
  private static final ObjectMapper JSON = new ObjectMapper();

  private DeviceInputTargets() {}

  static List<FuzzTarget> all() {
    return List.of(
        new FuzzTarget("NmeaSentence", DeviceInputTargets::nmea, DeviceInputTargets::nmeaSeeds),
        new FuzzTarget("GpsdJson", DeviceInputTargets::gpsd, DeviceInputTargets::gpsdSeeds),
        new FuzzTarget("ModbusReply", DeviceInputTargets::modbus, DeviceInputTargets::modbusSeeds));
  }

  /**
   * First byte: lenient (no checksum needed) when odd. Rest: one sentence for the parser, then the
   * same bytes as a stream. Accepted sentences have a correct checksum (unless lenient and absent)
   * and coordinates in range; every parse either succeeds or is counted as a reject.
   */
  static void nmea(byte[] data) throws Exception {
    Allocation.atMost(64 * 1024, 64, data.length, () -> nmeaOnce(data));
  }

  private static void nmeaOnce(byte[] data) {
    boolean lenient = data.length > 0 && (data[0] & 1) == 1;
    byte[] bytes = data.length > 0 ? java.util.Arrays.copyOfRange(data, 1, data.length) : data;
    DriverMetrics m = new DriverMetrics("fuzz");
    NmeaParser parser = new NmeaParser(NmeaOptions.strict().withAllowMissingChecksum(lenient), m);
    String line = new String(bytes, StandardCharsets.ISO_8859_1);
    try {
      NmeaSentence s = parser.parse(line);
      if (!lenient && !FramerProtocols.checksumOk(line.strip())) {
        throw new AssertionError("accepted a sentence with a wrong checksum: " + line);
      }
      s.latitude().ifPresent(lat -> inRange("latitude", lat, 90));
      s.longitude().ifPresent(lon -> inRange("longitude", lon, 180));
    } catch (MalformedFrameException e) {
      if (m.rejectedTotal() != 1 || e.reason().isBlank()) {
        throw new AssertionError("reject not counted or without reason", e);
      }
    }
    List<GpsFix> fixes = new ArrayList<>();
    NmeaStreamDecoder d = new NmeaStreamDecoder("fuzz", parser, Stamp::now, fixes::add);
    d.feed(bytes, 0, bytes.length);
    d.flush();
    fixes.forEach(DeviceInputTargets::checkFix);
  }

  private static List<byte[]> nmeaSeeds() {
    List<byte[]> out = new ArrayList<>();
    for (String s :
        List.of(
            "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47\r\n",
            "$GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W*6A\r\n",
            "$GPGSA,A,3,23,13,16,19,06,,,,,,,,2.60,2.42,0.95*04\r\n",
            "$GPVTG,353.67,T,353.86,M,1.43,N,2.65,K,A*2B\r\n",
            "$GPGSV,3,3,11,22,42,067,42,24,14,311*4A\r\n")) {
      byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
      byte[] in = new byte[b.length + 1];
      System.arraycopy(b, 0, in, 1, b.length);
      out.add(in);
    }
    return out;
  }

  /**
   * Lines (split at '\n') to a gpsd client: each is accepted or counted as a reject under a reason
   * of the input (never {@code fault}, which means an exception escaped the decoder); a line that
   * yields a fix is, by an independent reading, a TPV whose {@code mode} is absent or 0..3.
   */
  static void gpsd(byte[] data) throws Exception {
    Allocation.atMost(256 * 1024, 128, data.length, () -> gpsdOnce(data));
  }

  /** The gpsd target without the allocation bound; returns the client's counters. */
  static DriverMetrics gpsdOnce(byte[] data) {
    DriverMetrics m = new DriverMetrics("gpsd");
    List<GpsFix> fixes = new ArrayList<>();
    GpsdClient client =
        new GpsdClient(
            new InetSocketAddress("127.0.0.1", 2947),
            "gpsd",
            Duration.ofSeconds(1),
            Stamp::now,
            fixes::add,
            m);
    long lines = 0;
    for (String line : new String(data, StandardCharsets.UTF_8).split("\n")) {
      if (!line.isEmpty()) {
        lines++;
      }
      int before = fixes.size();
      client.handle(line);
      if (fixes.size() > before) {
        checkTpvLine(line);
      }
    }
    if (m.acceptedCount() + m.rejectedTotal() != lines || m.rejectedCount("fault") != 0) {
      throw new AssertionError(lines + " lines, " + m);
    }
    fixes.forEach(DeviceInputTargets::checkFix);
    return m;
  }

  private static void checkTpvLine(String line) {
    JsonNode n;
    try {
      n = JSON.readTree(line);
    } catch (IOException e) {
      throw new AssertionError("fix from a line that is not JSON: " + line, e);
    }
    JsonNode mode = n.get("mode");
    boolean modeOk =
        mode == null
            || mode.isIntegralNumber()
                && mode.bigIntegerValue().compareTo(BigInteger.ZERO) >= 0
                && mode.bigIntegerValue().compareTo(BigInteger.valueOf(3)) <= 0;
    if (!n.path("class").isTextual() || !n.get("class").textValue().equals("TPV") || !modeOk) {
      throw new AssertionError("fix from a report that is not a TPV with mode 0..3: " + line);
    }
  }

  private static List<byte[]> gpsdSeeds() {
    return List.of(
        ("{\"class\":\"VERSION\",\"release\":\"3.22\"}\n"
                + "{\"class\":\"SKY\",\"time\":\"2026-03-01T08:00:00.000Z\",\"hdop\":0.9,\"uSat\":9}\n"
                + "{\"class\":\"TPV\",\"mode\":3,\"time\":\"2026-03-01T08:00:00.000Z\","
                + "\"lat\":53.5511,\"lon\":9.9937,\"alt\":12.5,\"speed\":3.2,\"track\":87.1}\n")
            .getBytes(StandardCharsets.UTF_8),
        "{\"class\":\"TPV\",\"mode\":1}\n".getBytes(StandardCharsets.UTF_8));
  }

  private static void checkFix(GpsFix f) {
    f.latitude().ifPresent(lat -> inRange("latitude", lat, 90));
    f.longitude().ifPresent(lon -> inRange("longitude", lon, 180));
    if (f.latitude().isPresent() != f.longitude().isPresent()) {
      throw new AssertionError("fix with only one coordinate: " + f);
    }
  }

  private static void inRange(String what, double v, double limit) {
    if (!(Math.abs(v) <= limit)) {
      throw new AssertionError(what + " " + v + " accepted");
    }
  }

  /**
   * Input: the weight reply, then the status reply ({@link FuzzInput#bytes}), as the indicator's
   * answers. A reading comes only from replies with a valid CRC; everything else is a timeout, a
   * Modbus exception or a counted malformed reply.
   */
  static void modbus(byte[] data) throws Exception {
    FuzzInput in = new FuzzInput(data);
    byte[] weightReply = in.bytes(64);
    byte[] statusReply = in.bytes(64);
    ModbusWeightMap map =
        new ModbusWeightMap(
            1,
            3,
            10,
            ModbusWeightMap.WordOrder.HIGH_WORD_FIRST,
            in.bool() ? ModbusWeightMap.ValueType.FLOAT32 : ModbusWeightMap.ValueType.INT32,
            1,
            12,
            0,
            true,
            WeightUnit.KG);
    ModbusLink link =
        new ModbusLink() {
          private final byte[][] replies = {weightReply, statusReply};
          private int request = -1;
          private int pos;

          @Override
          public void send(byte[] request) {
            this.request++;
            pos = 0;
          }

          @Override
          public int read(byte[] buf, int off, int len, long timeoutMillis) {
            if (request < 0 || request >= replies.length) {
              return 0;
            }
            int n = Math.min(len, replies[request].length - pos);
            System.arraycopy(replies[request], pos, buf, off, n);
            pos += n;
            return n;
          }
        };
    DriverMetrics m = new DriverMetrics("modbus");
    ModbusIndicatorClient client =
        new ModbusIndicatorClient("ind", link, map, 1, Streams.ticking(), m);
    try {
      WeightReading r = client.read();
      if (!ModbusCrc.valid(weightReply, 9) || !ModbusCrc.valid(statusReply, 7)) {
        throw new AssertionError("reading from a reply without a valid CRC: " + r);
      }
      if (m.acceptedCount() != 1) {
        throw new AssertionError("accepted reading not counted");
      }
    } catch (TimeoutException | ModbusException | MalformedFrameException e) {
      if (m.rejectedTotal() != 1) {
        throw new AssertionError("rejected reply counted " + m.rejectedTotal() + " times", e);
      }
    }
  }

  private static List<byte[]> modbusSeeds() {
    byte[] weight = ModbusCrc.withCrc(new byte[] {1, 3, 4, 0, 0, 0x30, 0x39});
    byte[] status = ModbusCrc.withCrc(new byte[] {1, 3, 2, 0x10, 0});
    byte[] exception = ModbusCrc.withCrc(new byte[] {1, (byte) 0x83, 2});
    return List.of(
        new FuzzInput.Writer().bytes(weight).bytes(status).bool(false).toByteArray(),
        new FuzzInput.Writer().bytes(exception).bytes(new byte[0]).bool(false).toByteArray(),
        new FuzzInput.Writer().bytes(weight).bytes(status).bool(true).toByteArray());
  }
}
