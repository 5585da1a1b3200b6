package io.haulproof.drivers.bench;

import io.haulproof.drivers.gps.NmeaParser;
import io.haulproof.drivers.gps.NmeaStreamDecoder;
import io.haulproof.drivers.reading.DriverMetrics;
import io.haulproof.drivers.reading.Stamp;
import io.haulproof.drivers.remote.NodePayload;
import io.haulproof.drivers.remote.NodeReadingVerifier;
import io.haulproof.drivers.remote.NodeRegistry;
import io.haulproof.drivers.scale.ToledoContinuousReader;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Throughput figures for bench/drivers.md (a plain main, not a test): NMEA sentences/s through
 * framer + parser + assembler over all 84 gpsd captures, Toledo frames/s, node readings verified/s.
 */
public final class DriversBench {
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    try (var s = Files.list(dir)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        all.writeBytes(Files.readAllBytes(p));
      }
    }
    byte[] logs = all.toByteArray();
    Stamp t0 = new Stamp(0, Instant.EPOCH);
    for (int round = 0; round < 3; round++) {
      DriverMetrics m = new DriverMetrics("b");
      long start = System.nanoTime();
      int reps = 20;
      for (int i = 0; i < reps; i++) {
        NmeaStreamDecoder d =
            new NmeaStreamDecoder(
                "b",
                new NmeaParser(io.haulproof.drivers.gps.NmeaOptions.strict().withMaxLength(128), m),
                () -> t0,
                f -> {});
        d.feed(logs, 0, logs.length);
      }
      double s = (System.nanoTime() - start) / 1e9;
      long sentences = m.acceptedCount() + m.rejectedTotal();
      System.out.printf(
          "nmea: %d sentences (%.1f MB) in %.2f s = %.0f sentences/s, %.1f MB/s%n",
          sentences, reps * logs.length / 1e6, s, sentences / s, reps * logs.length / 1e6 / s);
    }
    byte[] frame = ToledoContinuousReader.encode(0x34, 0x30, 0x20, 3842, 1200, true);
    byte[] stream = new byte[frame.length * 100_000];
    for (int i = 0; i < 100_000; i++) {
      System.arraycopy(frame, 0, stream, i * frame.length, frame.length);
    }
    for (int round = 0; round < 3; round++) {
      DriverMetrics m = new DriverMetrics("t");
      ToledoContinuousReader r = new ToledoContinuousReader("t", true, () -> t0, w -> {}, m);
      long start = System.nanoTime();
      for (int i = 0; i < stream.length; i += 512) {
        r.feed(stream, i, Math.min(512, stream.length - i));
      }
      double s = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "toledo: %d frames in %.2f s = %.0f frames/s%n",
          m.acceptedCount(), s, m.acceptedCount() / s);
    }
    SoftwareDeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256, new SecureRandom());
    NodeRegistry reg = new NodeRegistry();
    reg.register("bin-1", key.publicKey());
    int n = 20_000;
    byte[][] msgs = new byte[n][];
    for (int i = 0; i < n; i++) {
      msgs[i] =
          CoseSign1.sign(
                  key,
                  new NodePayload(
                          "bin-1",
                          i + 1,
                          OptionalLong.of(1_790_000_000L + i),
                          OptionalInt.of(i % 100),
                          Optional.of(false),
                          Optional.of(false),
                          Optional.empty(),
                          Optional.empty(),
                          Optional.empty(),
                          OptionalLong.empty(),
                          OptionalLong.of(500),
                          Optional.of("mm"))
                      .encode())
              .encoded()
              .toByteArray();
    }
    for (int round = 0; round < 2; round++) {
      NodeRegistry r2 = new NodeRegistry();
      r2.register("bin-1", key.publicKey());
      NodeReadingVerifier v = new NodeReadingVerifier(r2, () -> t0, new DriverMetrics("v"));
      long start = System.nanoTime();
      for (byte[] m : msgs) {
        v.verify(m, null);
      }
      double s = (System.nanoTime() - start) / 1e9;
      System.out.printf(
          "node readings: %d verified (ES256, %d bytes each) in %.2f s = %.0f/s%n",
          n, msgs[0].length, s, n / s);
    }
  }
}
