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

  /**
   * Mutates a copy: flips, replaces, inserts or deletes a few bytes. Never returns bytes equal to
   * {@code in}: a byte replaced by its own value, or an insert undone by a delete, left a signed
   * message valid about once in 80 fresh signatures, and a test expecting a refusal saw it
   * accepted.
   */
  public static byte[] mutate(byte[] in, Random rnd) {
    if (in.length == 0) {
      return new byte[] {(byte) rnd.nextInt(256)};
    }
    byte[] out;
    do {
      out = mutateOnce(in, rnd);
    } while (java.util.Arrays.equals(out, in));
    return out;
  }

  private static byte[] mutateOnce(byte[] in, Random rnd) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int edits = 1 + rnd.nextInt(3);
    byte[] cur = in.clone();
    for (int e = 0; e < edits && cur.length > 0; e++) {
      int pos = rnd.nextInt(cur.length);
      out.reset();
      switch (rnd.nextInt(4)) {
        case 0 -> {
          cur[pos] ^= (byte) (1 << rnd.nextInt(8));
          continue;
        }
        case 1 -> {
          cur[pos] = (byte) rnd.nextInt(256);
          continue;
        }
        case 2 -> {
          out.write(cur, 0, pos);
          out.write(rnd.nextInt(256));
          out.write(cur, pos, cur.length - pos);
        }
        default -> {
          out.write(cur, 0, pos);
          out.write(cur, pos + 1, cur.length - pos - 1);
        }
      }
      cur = out.toByteArray();
    }
    return cur;
  }
}
