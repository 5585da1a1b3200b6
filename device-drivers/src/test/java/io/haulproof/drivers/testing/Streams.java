package io.haulproof.drivers.testing;

import io.haulproof.drivers.reading.ByteFramer;
import io.haulproof.drivers.reading.Stamp;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/** Test helpers: hex, noisy streams and random splits. */
public final class Streams {
  private Streams() {}

  public static byte[] hex(String spaced) {
    return HexFormat.of().parseHex(spaced.replace(" ", ""));
  }

  /** A fake clock whose monotonic value increases by one millisecond per call. */
  public static Supplier<Stamp> ticking() {
    long[] t = {0};
    return () -> new Stamp(t[0] += 1_000_000, Instant.EPOCH.plusNanos(t[0]));
  }

  /**
   * Concatenates frames with random noise (bytes from {@code noise}) of up to {@code maxNoise}
   * bytes between.
   */
  public static byte[] withNoise(List<byte[]> frames, byte[] noise, int maxNoise, Random rnd) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] f : frames) {
      int n = rnd.nextInt(maxNoise + 1);
      for (int i = 0; i < n; i++) {
        out.write(noise[rnd.nextInt(noise.length)]);
      }
      out.writeBytes(f);
    }
    return out.toByteArray();
  }

  /** Feeds {@code data} in random chunks. */
  public static void feedSplit(ByteFramer framer, byte[] data, Random rnd) {
    int i = 0;
    while (i < data.length) {
      int n = 1 + rnd.nextInt(Math.min(40, data.length - i));
      framer.feed(data, i, n);
      i += n;
    }
  }
}
