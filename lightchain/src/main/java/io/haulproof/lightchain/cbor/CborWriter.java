package io.haulproof.lightchain.cbor;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes CBOR in deterministic form (RFC 8949 §4.2.1); package-private, used through {@link Cbor}.
 */
final class CborWriter {
  private byte[] buf;
  private int len;

  CborWriter(int capacity) {
    buf = new byte[capacity];
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, len);
  }

  private void ensure(int extra) {
    if (len + extra > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
    }
  }

  private void raw(byte[] b) {
    ensure(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
  }

  /** The head of a data item: major type and argument in shortest form (§4.2.1). */
  void head(int major, long arg) {
    ensure(9);
    int mt = major << 5;
    if (arg >= 0 && arg < 24) {
      buf[len++] = (byte) (mt | arg);
    } else if (arg >= 0 && arg <= 0xFF) {
      buf[len++] = (byte) (mt | 24);
      buf[len++] = (byte) arg;
    } else if (arg >= 0 && arg <= 0xFFFF) {
      buf[len++] = (byte) (mt | 25);
      buf[len++] = (byte) (arg >>> 8);
      buf[len++] = (byte) arg;
    } else if (arg >= 0 && arg <= 0xFFFF_FFFFL) {
      buf[len++] = (byte) (mt | 26);
      for (int s = 24; s >= 0; s -= 8) {
        buf[len++] = (byte) (arg >>> s);
      }
    } else {
      // arg is read as unsigned 64 bits here: only the negative-integer path passes values >= 2^63.
      buf[len++] = (byte) (mt | 27);
      for (int s = 56; s >= 0; s -= 8) {
        buf[len++] = (byte) (arg >>> s);
      }
    }
  }

  void write(CborValue v) {
    if (v instanceof CborInt i) {
      long n = i.value();
      if (n >= 0) {
        head(0, n);
      } else {
        head(1, -1 - n); // -1 - n is in [0, 2^63 - 1] for every negative long
      }
    } else if (v instanceof CborBytes b) {
      byte[] data = b.value().toByteArray();
      head(2, data.length);
      raw(data);
    } else if (v instanceof CborText t) {
      byte[] data = t.value().getBytes(StandardCharsets.UTF_8);
      head(3, data.length);
      raw(data);
    } else if (v instanceof CborArray a) {
      head(4, a.size());
      for (CborValue item : a.items()) {
        write(item);
      }
    } else if (v instanceof CborMap m) {
      writeMap(m);
    } else if (v instanceof CborTag t) {
      head(6, t.tag());
      write(t.content());
    } else if (v instanceof CborSimple s) {
      head(7, s.code());
    } else {
      throw new IllegalStateException("unknown CBOR value " + v.getClass());
    }
  }

  private void writeMap(CborMap m) {
    List<byte[][]> pairs = new ArrayList<>(m.size());
    for (Map.Entry<CborValue, CborValue> e : m.entries().entrySet()) {
      CborWriter k = new CborWriter(16);
      k.write(e.getKey());
      CborWriter val = new CborWriter(32);
      val.write(e.getValue());
      pairs.add(new byte[][] {k.toByteArray(), val.toByteArray()});
    }
    pairs.sort((x, y) -> Arrays.compareUnsigned(x[0], y[0]));
    head(5, pairs.size());
    for (byte[][] p : pairs) {
      raw(p[0]);
      raw(p[1]);
    }
  }
}
