package io.haulproof.agent.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.haulproof.agent.config.AgentConfig;
import io.haulproof.drivers.gps.NmeaParser;
import io.haulproof.drivers.gps.NmeaSentence;
import io.haulproof.drivers.reading.MalformedFrameException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * GNSS state: listens to the receiver (NMEA on its port, or gpsd's TPV reports) for a few seconds
 * and says whether it has a fix. No data at all is a FAIL; data without a fix is a WARN (normal
 * indoors or in a depot hall).
 */
final class GnssCheck implements DoctorCheck {
  private final Duration timeout;
  private final ObjectMapper json = new ObjectMapper();

  GnssCheck(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public List<Finding> run(AgentConfig config) {
    if (config.gps() == null) {
      return List.of(
          Finding.ok(
              "gnss", "no receiver configured (positions come from elsewhere or not at all)"));
    }
    if (config.gps().source().equals("nmea")) {
      return List.of(nmea(Path.of(config.gps().port().path())));
    }
    return List.of(gpsd(Endpoint.ofHostPort(config.gps().gpsd())));
  }

  private Finding nmea(Path port) {
    NmeaParser parser = new NmeaParser();
    int[] valid = {0};
    List<String> lines =
        PortProbe.readLines(
            port,
            timeout,
            line -> {
              Optional<NmeaSentence> sentence = parse(parser, line);
              sentence.ifPresent(s -> valid[0]++);
              return sentence.flatMap(NmeaSentence::fix).orElse(false);
            });
    if (lines.isEmpty()) {
      return Finding.fail("gnss", "no data from " + port + " within " + timeout.toMillis() + " ms");
    }
    Optional<NmeaSentence> last = parse(parser, lines.get(lines.size() - 1));
    if (last.flatMap(NmeaSentence::fix).orElse(false)) {
      NmeaSentence s = last.get();
      return Finding.ok(
          "gnss", "fix from " + port + " (" + s.talker() + s.type() + position(s) + ")");
    }
    if (valid[0] == 0) {
      return Finding.fail(
          "gnss",
          lines.size()
              + " lines from "
              + port
              + " but no valid NMEA sentence"
              + " (wrong baud rate?)");
    }
    return Finding.warn(
        "gnss", "receiver on " + port + " talks (" + valid[0] + " sentences) but has no fix yet");
  }

  private static String position(NmeaSentence s) {
    if (s.latitude().isEmpty() || s.longitude().isEmpty()) {
      return "";
    }
    return String.format(" at %.5f, %.5f", s.latitude().getAsDouble(), s.longitude().getAsDouble());
  }

  private static Optional<NmeaSentence> parse(NmeaParser parser, String line) {
    try {
      return Optional.of(parser.parse(line));
    } catch (MalformedFrameException e) {
      return Optional.empty();
    }
  }

  private Finding gpsd(Endpoint gpsd) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(gpsd.host(), gpsd.port()), (int) timeout.toMillis());
      s.setSoTimeout((int) Math.max(1, timeout.toMillis()));
      OutputStream w = s.getOutputStream();
      w.write("?WATCH={\"enable\":true,\"json\":true};\n".getBytes(StandardCharsets.US_ASCII));
      w.flush();
      BufferedReader r =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      int bestMode = -1;
      for (String line = r.readLine();
          line != null && System.nanoTime() < deadline;
          line = r.readLine()) {
        JsonNode tpv = readJson(line);
        if (tpv != null && "TPV".equals(tpv.path("class").asText())) {
          int mode = tpv.path("mode").asInt(0);
          bestMode = Math.max(bestMode, mode);
          if (mode >= 2) {
            return Finding.ok(
                "gnss",
                "gpsd reports a "
                    + mode
                    + "D fix at "
                    + tpv.path("lat").asDouble()
                    + ", "
                    + tpv.path("lon").asDouble());
          }
        }
      }
      return bestMode < 0
          ? Finding.fail(
              "gnss",
              "gpsd at "
                  + gpsd
                  + " sent no position report (TPV) within "
                  + timeout.toMillis()
                  + " ms")
          : Finding.warn("gnss", "gpsd at " + gpsd + " has no fix yet (mode " + bestMode + ")");
    } catch (SocketTimeoutException e) {
      return Finding.fail(
          "gnss",
          "gpsd at " + gpsd + " sent no position report within " + timeout.toMillis() + " ms");
    } catch (IOException e) {
      return Finding.fail("gnss", "gpsd at " + gpsd + " does not answer: " + e.getMessage());
    }
  }

  /**
   * One gpsd JSON line, or null if the line is not JSON (a bad line is skipped, gpsd sends many).
   */
  private JsonNode readJson(String line) {
    try {
      return json.readTree(line);
    } catch (IOException e) {
      return null;
    }
  }
}
