package io.haulproof.lightchain.fuzz;

import java.util.Arrays;

/**
 * Structured values taken from the front of a fuzz input, so that seeds can be written by hand
 * ({@link Writer}) and every byte the fuzzer changes means the same thing in every input. An
 * exhausted input yields the smallest values.
 */
public final class FuzzInput {
  private final byte[] data;
  private int pos;

  public FuzzInput(byte[] data) {
    this.data = data;
  }

  /** A value in {@code [lo, hi]} from the next two bytes; {@code FFFF} always means {@code hi}. */
  public int intIn(int lo, int hi) {
    if (hi < lo) {
      throw new IllegalArgumentException(lo + " > " + hi);
    }
    int raw = (next() << 8) | next();
    return raw == 0xFFFF ? hi : lo + (int) (raw % ((long) hi - lo + 1));
  }

  public boolean bool() {
    return (next() & 1) == 1;
  }

  public byte oneByte() {
    return (byte) next();
  }

  /** Up to {@code max} bytes, the count given by the next two bytes. */
  public byte[] bytes(int max) {
    int n = Math.min(intIn(0, max), data.length - pos);
    byte[] b = Arrays.copyOfRange(data, pos, pos + n);
    pos += n;
    return b;
  }

  /** Whatever is left. */
  public byte[] rest() {
    byte[] b = Arrays.copyOfRange(data, pos, data.length);
    pos = data.length;
    return b;
  }

  private int next() {
    return pos < data.length ? data[pos++] & 0xff : 0;
  }

  /** Writes inputs that a {@link FuzzInput} reads back as the same values (for seeds). */
  public static final class Writer {
    private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

    public Writer intIn(int lo, int value) {
      int raw = value - lo;
      out.write(raw >>> 8);
      out.write(raw);
      return this;
    }

    /** The largest value of the range being read. */
    public Writer max() {
      out.write(0xFF);
      out.write(0xFF);
      return this;
    }

    public Writer bool(boolean b) {
      out.write(b ? 1 : 0);
      return this;
    }

    public Writer oneByte(int b) {
      out.write(b);
      return this;
    }

    public Writer bytes(byte[] b) {
      intIn(0, b.length);
      out.writeBytes(b);
      return this;
    }

    public Writer rest(byte[] b) {
      out.writeBytes(b);
      return this;
    }

    public byte[] toByteArray() {
      return out.toByteArray();
    }
  }
}
