package io.haulproof.agent.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.haulproof.drivers.gps.NmeaOptions;
import io.haulproof.drivers.gps.NmeaParser;
import io.haulproof.drivers.gps.NmeaSentence;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.MalformedFrameException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code haulproof nmea decode}: NMEA 0183 lines on stdin, one JSON object per line on stdout
 * (DESIGN.md, CLI).
 */
@Command(
    name = "nmea",
    description = "NMEA 0183 tools.",
    mixinStandardHelpOptions = true,
    subcommands = {NmeaCommand.Decode.class})
final class NmeaCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("haulproof nmea: missing subcommand (decode)");
    return Main.EXIT_USAGE;
  }

  /** Decodes NMEA lines from stdin. */
  @Command(
      name = "decode",
      mixinStandardHelpOptions = true,
      description = "Read NMEA lines on stdin; print one JSON object per input line.")
  static final class Decode implements Callable<Integer> {
    @Option(
        names = "--allow-missing-checksum",
        description = "Accept sentences without *hh (off by default).")
    boolean allowMissingChecksum;

    @Option(
        names = "--max-length",
        description =
            "Longest sentence accepted, CR LF excluded (default and maximum 128; NMEA's"
                + " nominal 82 is exceeded by real receivers, the checksum protects integrity).")
    int maxLength = NmeaOptions.DEFAULT_MAX_LENGTH;

    @Override
    public Integer call() {
      if (maxLength < 11 || maxLength > NmeaOptions.HARD_MAX_LENGTH) {
        System.err.println(
            "haulproof nmea decode: --max-length "
                + maxLength
                + " outside 11.."
                + NmeaOptions.HARD_MAX_LENGTH);
        return Main.EXIT_USAGE;
      }
      NmeaOptions options = new NmeaOptions(allowMissingChecksum, maxLength);
      DriverMetrics metrics = new DriverMetrics("nmea-cli");
      decode(System.in, System.out, new NmeaParser(options, metrics));
      System.err.println("haulproof nmea decode: " + metrics);
      return 0;
    }
  }

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
          .disable(SerializationFeature.INDENT_OUTPUT);
  private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");

  /**
   * Decodes every line of {@code in} (bytes as ISO-8859-1, so stray bytes become charset errors) to
   * {@code out}.
   */
  static void decode(InputStream in, PrintStream out, NmeaParser parser) {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1))) {
      String line;
      while ((line = r.readLine()) != null) {
        out.println(JSON.writeValueAsString(decodeLine(line, parser)));
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode decodeLine(String line, NmeaParser parser) {
    ObjectNode o = JSON.createObjectNode();
    NmeaSentence s;
    try {
      s = parser.parse(line);
    } catch (MalformedFrameException e) {
      o.put("ok", false);
      o.put("error", e.getMessage());
      return o;
    }
    o.put("ok", true);
    o.put("talker", s.talker());
    o.put("sentence", s.type());
    if (s.fix().isPresent()) {
      o.put("fix", s.fix().get());
    } else {
      o.putNull("fix");
    }
    putDegrees(o, "lat", s.latitude());
    putDegrees(o, "lon", s.longitude());
    if (s.utc().isPresent()) {
      o.put("utc", s.utc().map((LocalTime t) -> t.format(UTC)).get());
    } else {
      o.putNull("utc");
    }
    return o;
  }

  /** Six decimals (about 0.1 m), trailing zeros dropped: 48.1173, 11.516667. */
  private static void putDegrees(ObjectNode o, String name, OptionalDouble v) {
    if (v.isEmpty()) {
      o.putNull(name);
      return;
    }
    BigDecimal d =
        BigDecimal.valueOf(v.getAsDouble())
            .setScale(6, RoundingMode.HALF_EVEN)
            .stripTrailingZeros();
    o.put(name, d.scale() < 0 ? d.setScale(0) : d);
  }
}
