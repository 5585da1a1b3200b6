package io.haulproof.lightchain.cbor;

import java.util.Arrays;
import java.util.Random;

/**
 * Seeded byte-level mutations for fuzz tests: bit flips, byte changes, insertions, deletions,
 * truncations, splices.
 */
public final class Mutator {
  private final Random random;

  public Mutator(Random random) {
    this.random = random;
  }

  /**
   * One to three random mutations of {@code in} (never modified); never bytes equal to {@code in}
   * (a byte set to its own value, a splice onto itself): a fuzz test that expects a signed message
   * to be refused must not be handed the original.
   */
  public byte[] mutate(byte[] in) {
    byte[] b;
    do {
      b = in.clone();
      int rounds = 1 + random.nextInt(3);
      for (int i = 0; i < rounds; i++) {
        b = once(b);
      }
    } while (Arrays.equals(b, in));
    return b;
  }

  private byte[] once(byte[] b) {
    if (b.length == 0) {
      return new byte[] {(byte) random.nextInt(256)};
    }
    int at = random.nextInt(b.length);
    switch (random.nextInt(7)) {
      case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
      case 1 -> b[at] = (byte) random.nextInt(256);
      case 2 -> b[at] = interesting();
      case 3 -> {
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, at);
        out[at] = (byte) random.nextInt(256);
        System.arraycopy(b, at, out, at + 1, b.length - at);
        return out;
      }
      case 4 -> {
        byte[] out = new byte[b.length - 1];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + 1, out, at, b.length - at - 1);
        return out;
      }
      case 5 -> {
        return Arrays.copyOf(b, at);
      }
      default -> {
        int from = random.nextInt(b.length);
        int len = Math.min(1 + random.nextInt(8), b.length - Math.max(from, at));
        System.arraycopy(b, from, b, at, Math.max(len, 0));
      }
    }
    return b;
  }

  /**
   * Bytes that are CBOR heads of special meaning: long lengths, indefinite markers, breaks, floats,
   * tags.
   */
  private byte interesting() {
    int[] v = {
      0x18, 0x19, 0x1a, 0x1b, 0x1f, 0x3b, 0x5b, 0x5f, 0x7f, 0x9b, 0x9f, 0xbb, 0xbf, 0xd2, 0xf7,
      0xf9, 0xfb, 0xff, 0x00, 0x80, 0xa0
    };
    return (byte) v[random.nextInt(v.length)];
  }
}
