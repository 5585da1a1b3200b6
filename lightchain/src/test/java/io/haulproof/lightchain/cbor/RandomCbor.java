package io.haulproof.lightchain.cbor;

import io.haulproof.lightchain.bytes.Bytes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Generates random CBOR values within the supported subset, for seeded property and fuzz tests. */
public final class RandomCbor {
  private static final long[] EDGES = {
    0,
    1,
    23,
    24,
    255,
    256,
    65_535,
    65_536,
    0xFFFF_FFFFL,
    0x1_0000_0000L,
    Long.MAX_VALUE,
    -1,
    -24,
    -25,
    -256,
    -257,
    -65_536,
    -65_537,
    -0x1_0000_0000L,
    -0x1_0000_0001L,
    Long.MIN_VALUE
  };
  private final Random random;

  public RandomCbor(Random random) {
    this.random = random;
  }

  public CborValue value(int depth) {
    int kind = random.nextInt(depth <= 0 ? 4 : 8);
    return switch (kind) {
      case 0 -> new CborInt(integer());
      case 1 -> new CborBytes(Bytes.wrap(bytes(random.nextInt(40))));
      case 2 -> new CborText(text(random.nextInt(20)));
      case 3 -> CborSimple.values()[random.nextInt(3)];
      case 4, 5 -> {
        int n = random.nextInt(6);
        List<CborValue> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          items.add(value(depth - 1));
        }
        yield new CborArray(items);
      }
      case 6 -> {
        int n = random.nextInt(6);
        Map<CborValue, CborValue> m = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
          CborValue k =
              random.nextBoolean() ? new CborInt(integer()) : new CborText(text(random.nextInt(6)));
          m.put(k, value(depth - 1));
        }
        yield new CborMap(m);
      }
      default ->
          new CborTag(random.nextInt(3) == 0 ? 18 : random.nextInt(100_000), value(depth - 1));
    };
  }

  private long integer() {
    return switch (random.nextInt(3)) {
      case 0 -> EDGES[random.nextInt(EDGES.length)];
      case 1 -> random.nextInt(1000) - 500;
      default -> random.nextLong();
    };
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  private String text(int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int cp;
      do {
        cp = random.nextInt(4) == 0 ? random.nextInt(0x10FFFF + 1) : 0x20 + random.nextInt(0x5F);
      } while (cp >= 0xD800 && cp <= 0xDFFF);
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }
}
