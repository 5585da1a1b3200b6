package io.haulproof.drivers.gps;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.MalformedFrameException;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzz target for the NMEA parser and framer (Jazzer). In the normal suite it
 * replays its seed corpus ({@code NmeaJazzerFuzzTestInputs}); with {@code JAZZER_FUZZ=1} it fuzzes
 * for {@code maxDuration}.
 */
class NmeaJazzerFuzzTest {
  @FuzzTest(maxDuration = "20s")
  void nmeaParser(FuzzedDataProvider data) {
    boolean lenient = data.consumeBoolean();
    byte[] bytes = data.consumeRemainingAsBytes();
    DriverMetrics m = new DriverMetrics("jazzer");
    NmeaParser parser = new NmeaParser(NmeaOptions.strict().withAllowMissingChecksum(lenient), m);
    try {
      NmeaSentence s = parser.parse(new String(bytes, StandardCharsets.ISO_8859_1));
      if (s.latitude().isPresent() && Math.abs(s.latitude().getAsDouble()) > 90) {
        throw new AssertionError("latitude out of range accepted");
      }
    } catch (MalformedFrameException expected) {
      if (m.rejectedTotal() != 1) {
        throw new AssertionError("reject not counted");
      }
    }
    NmeaStreamDecoder d =
        new NmeaStreamDecoder("fuzz", parser, io.haulproof.drivers.reading.Stamp::now, f -> {});
    d.feed(bytes, 0, bytes.length);
    d.flush();
  }
}
