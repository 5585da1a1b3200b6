package io.haulproof.lightchain.index;

import io.haulproof.lightchain.bytes.Bytes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * The stored form of one bin's entry indices in a {@link DerivedStateStore}, for {@link BinIndex}.
 *
 * <p>A bin's indices (ascending) are kept in chunks of at most {@link #CHUNK} under {@code bin.<tag
 * hex>.<n>}, each as a count, the first index and the gaps to the next ones, all unsigned LEB128
 * varints (about one byte per lift); {@code bin.<tag hex>} holds the number of chunks and of
 * indices. Every value starts with a CRC32C over its key and the rest of the value, so a value
 * garbled on disk or stored under another key is found, and {@link Damaged} is thrown; the owner
 * then rebuilds.
 */
final class BinPostings {
  static final int CHUNK = 256;
  private static final String PREFIX = "bin.";

  /** The stored value does not decode or fails its check. */
  static final class Damaged extends Exception {
    private static final long serialVersionUID = 1L;

    Damaged(String message) {
      super(message);
    }
  }

  private BinPostings() {}

  static String headKey(Bytes tag) {
    return PREFIX + tag.toHex();
  }

  static String chunkKey(Bytes tag, long n) {
    return PREFIX + tag.toHex() + "." + n;
  }

  /** Every index stored for {@code tag}, ascending; empty for an unknown bin. */
  static List<Long> read(DerivedStateStore store, Bytes tag) throws Damaged {
    long[] head = head(store, tag);
    if (head == null) {
      return List.of();
    }
    List<Long> out = new ArrayList<>((int) Math.min(head[1], 1 << 20));
    for (long n = 0; n < head[0]; n++) {
      out.addAll(chunk(store, tag, n));
    }
    if (out.size() != head[1]) {
      throw new Damaged(
          "bin " + tag.toHex() + ": " + out.size() + " indices, head says " + head[1]);
    }
    for (int i = 1; i < out.size(); i++) {
      if (out.get(i) <= out.get(i - 1)) {
        throw new Damaged("bin " + tag.toHex() + ": indices not ascending");
      }
    }
    return out;
  }

  /**
   * Adds {@code indices} (ascending, all above the stored ones) to {@code tag}'s postings, putting
   * the changed values into {@code changes}.
   */
  static void append(DerivedStateStore store, Bytes tag, List<Long> indices, Map<String, Bytes> out)
      throws Damaged {
    long[] head = head(store, tag);
    long chunks = head == null ? 0 : head[0];
    long total = head == null ? 0 : head[1];
    List<Long> last =
        chunks == 0 ? new ArrayList<>() : new ArrayList<>(chunk(store, tag, chunks - 1));
    if (chunks == 0) {
      chunks = 1;
    }
    for (long i : indices) {
      if (last.size() == CHUNK) {
        out.put(chunkKey(tag, chunks - 1), encodeChunk(chunkKey(tag, chunks - 1), last));
        last = new ArrayList<>();
        chunks++;
      }
      last.add(i);
      total++;
    }
    out.put(chunkKey(tag, chunks - 1), encodeChunk(chunkKey(tag, chunks - 1), last));
    out.put(headKey(tag), sealed(headKey(tag), varints(chunks, total)));
  }

  private static long[] head(DerivedStateStore store, Bytes tag) throws Damaged {
    String key = headKey(tag);
    Bytes v = store.get(key).orElse(null);
    if (v == null) {
      return null;
    }
    long[] h = new Reader(key, opened(key, v)).longs(2);
    if (h[0] < 1 || h[1] < h[0] || h[1] > h[0] * CHUNK) {
      throw new Damaged("bin " + tag.toHex() + ": head " + h[0] + " chunks, " + h[1] + " indices");
    }
    return h;
  }

  private static List<Long> chunk(DerivedStateStore store, Bytes tag, long n) throws Damaged {
    String key = chunkKey(tag, n);
    Bytes v = store.get(key).orElseThrow(() -> new Damaged("missing " + key));
    Reader r = new Reader(key, opened(key, v));
    long count = r.next();
    if (count < 1 || count > CHUNK) {
      throw new Damaged(key + ": " + count + " indices in a chunk");
    }
    List<Long> out = new ArrayList<>((int) count);
    long at = r.next();
    out.add(at);
    for (int i = 1; i < count; i++) {
      long gap = r.next();
      if (gap < 1) {
        throw new Damaged(key + ": gap " + gap);
      }
      at += gap;
      out.add(at);
    }
    r.end();
    return out;
  }

  private static Bytes encodeChunk(String key, List<Long> indices) {
    long[] vs = new long[indices.size() + 1];
    vs[0] = indices.size();
    for (int i = 0; i < indices.size(); i++) {
      vs[i + 1] = i == 0 ? indices.get(0) : indices.get(i) - indices.get(i - 1);
    }
    return sealed(key, varints(vs));
  }

  private static byte[] varints(long... values) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (long v : values) {
      while ((v & ~0x7FL) != 0) {
        b.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      b.write((int) v);
    }
    return b.toByteArray();
  }

  private static Bytes sealed(String key, byte[] body) {
    long crc = crc(key, body, 0, body.length);
    byte[] out = new byte[4 + body.length];
    out[0] = (byte) (crc >>> 24);
    out[1] = (byte) (crc >>> 16);
    out[2] = (byte) (crc >>> 8);
    out[3] = (byte) crc;
    System.arraycopy(body, 0, out, 4, body.length);
    return Bytes.wrap(out);
  }

  /** The body of a sealed value, after checking its CRC against {@code key}. */
  private static byte[] opened(String key, Bytes value) throws Damaged {
    byte[] v = value.toByteArray();
    if (v.length < 5) {
      throw new Damaged(key + ": value of " + v.length + " bytes");
    }
    long stored =
        ((v[0] & 0xFFL) << 24) | ((v[1] & 0xFFL) << 16) | ((v[2] & 0xFFL) << 8) | (v[3] & 0xFFL);
    if (stored != crc(key, v, 4, v.length - 4)) {
      throw new Damaged(key + ": CRC mismatch");
    }
    byte[] body = new byte[v.length - 4];
    System.arraycopy(v, 4, body, 0, body.length);
    return body;
  }

  private static long crc(String key, byte[] b, int off, int len) {
    CRC32C c = new CRC32C();
    c.update(key.getBytes(StandardCharsets.US_ASCII));
    c.update(b, off, len);
    return c.getValue();
  }

  /** Reads unsigned LEB128 varints of at most 63 bits. */
  private static final class Reader {
    private final String key;
    private final byte[] b;
    private int at;

    Reader(String key, byte[] b) {
      this.key = key;
      this.b = b;
    }

    long next() throws Damaged {
      long v = 0;
      for (int shift = 0; shift < 63; shift += 7) {
        if (at >= b.length) {
          throw new Damaged(key + ": truncated");
        }
        int x = b[at++] & 0xFF;
        v |= (long) (x & 0x7F) << shift;
        if ((x & 0x80) == 0) {
          return v;
        }
      }
      throw new Damaged(key + ": varint too long");
    }

    long[] longs(int n) throws Damaged {
      long[] out = new long[n];
      for (int i = 0; i < n; i++) {
        out[i] = next();
      }
      end();
      return out;
    }

    void end() throws Damaged {
      if (at != b.length) {
        throw new Damaged(key + ": " + (b.length - at) + " bytes left over");
      }
    }
  }
}
