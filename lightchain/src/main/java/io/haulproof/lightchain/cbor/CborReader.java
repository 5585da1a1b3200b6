package io.haulproof.lightchain.cbor;

import io.haulproof.lightchain.bytes.Bytes;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The strict decoder behind {@link Cbor#decode}; package-private. */
final class CborReader {
  private final byte[] in;
  private final CborLimits limits;
  private int pos;

  CborReader(byte[] in, CborLimits limits) {
    this.in = in;
    this.limits = limits;
  }

  CborValue readSingle() {
    if (in.length > limits.maxBytes()) {
      throw new CborException(
          "input of " + in.length + " bytes exceeds the limit of " + limits.maxBytes());
    }
    if (in.length == 0) {
      throw new CborException("empty input");
    }
    CborValue v = read(0);
    if (pos != in.length) {
      throw new CborException(
          "trailing bytes: data item ends at offset "
              + pos
              + " but input has "
              + in.length
              + " bytes");
    }
    return v;
  }

  private int remaining() {
    return in.length - pos;
  }

  private int u8() {
    if (pos >= in.length) {
      throw new CborException("truncated input at offset " + pos);
    }
    return in[pos++] & 0xFF;
  }

  /**
   * Reads the argument of a head with additional information {@code ai}, insisting on the shortest
   * form.
   */
  private long argument(int ai, int major, int at) {
    if (ai < 24) {
      return ai;
    }
    int n;
    long min;
    switch (ai) {
      case 24 -> {
        n = 1;
        min = 24;
      }
      case 25 -> {
        n = 2;
        min = 0x100;
      }
      case 26 -> {
        n = 4;
        min = 0x1_0000;
      }
      case 27 -> {
        n = 8;
        min = 0x1_0000_0000L;
      }
      case 31 ->
          throw new CborException("indefinite length (major type " + major + ") at offset " + at);
      default ->
          throw new CborException("reserved additional information " + ai + " at offset " + at);
    }
    if (remaining() < n) {
      throw new CborException(
          "truncated head at offset " + at + ": need " + n + " bytes, have " + remaining());
    }
    long v = 0;
    for (int i = 0; i < n; i++) {
      v = (v << 8) | (in[pos++] & 0xFF);
    }
    // Unsigned comparison: an 8-byte argument >= 2^63 is negative as a long but is not short.
    if (Long.compareUnsigned(v, min) < 0) {
      throw new CborException(
          "non-shortest encoding at offset "
              + at
              + ": argument "
              + Long.toUnsignedString(v)
              + " in "
              + n
              + " bytes");
    }
    return v;
  }

  private int length(long arg, int at, String what) {
    if (arg < 0 || arg > remaining()) {
      throw new CborException(
          what
              + " at offset "
              + at
              + " declares "
              + Long.toUnsignedString(arg)
              + " but only "
              + remaining()
              + " bytes remain");
    }
    return (int) arg;
  }

  private CborValue read(int depth) {
    if (depth >= limits.maxDepth()) {
      throw new CborException("nesting deeper than " + limits.maxDepth() + " at offset " + pos);
    }
    int at = pos;
    int ib = u8();
    int major = ib >>> 5;
    int ai = ib & 0x1F;
    if (major == 7) {
      return simple(ai, at);
    }
    long arg = argument(ai, major, at);
    switch (major) {
      case 0:
        if (arg < 0) {
          throw new CborException(
              "unsigned integer "
                  + Long.toUnsignedString(arg)
                  + " at offset "
                  + at
                  + " exceeds the supported range (2^63 - 1)");
        }
        return new CborInt(arg);
      case 1:
        if (arg < 0) {
          throw new CborException(
              "negative integer -1-"
                  + Long.toUnsignedString(arg)
                  + " at offset "
                  + at
                  + " exceeds the supported range (-2^63)");
        }
        return new CborInt(-1 - arg);
      case 2:
        {
          int n = length(arg, at, "byte string");
          Bytes b = Bytes.of(in, pos, n);
          pos += n;
          return new CborBytes(b);
        }
      case 3:
        {
          int n = length(arg, at, "text string");
          String s = utf8(n, at);
          pos += n;
          return new CborText(s);
        }
      case 4:
        {
          int n = length(arg, at, "array"); // every item takes at least one byte
          List<CborValue> items = new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            items.add(read(depth + 1));
          }
          return new CborArray(items);
        }
      case 5:
        return map(arg, at, depth);
      case 6:
        if (arg < 0) {
          throw new CborException(
              "tag number " + Long.toUnsignedString(arg) + " at offset " + at + " is out of range");
        }
        return new CborTag(arg, read(depth + 1));
      default:
        throw new IllegalStateException("major type " + major);
    }
  }

  private CborValue simple(int ai, int at) {
    return switch (ai) {
      case 20 -> CborSimple.FALSE;
      case 21 -> CborSimple.TRUE;
      case 22 -> CborSimple.NULL;
      case 25, 26, 27 ->
          throw new CborException("floating-point value at offset " + at + " is not supported");
      case 31 -> throw new CborException("unexpected break at offset " + at);
      default ->
          throw new CborException(
              "unsupported simple value (additional information " + ai + ") at offset " + at);
    };
  }

  private CborMap map(long arg, int at, int depth) {
    if (arg < 0 || arg > remaining() / 2) {
      throw new CborException(
          "map at offset "
              + at
              + " declares "
              + Long.toUnsignedString(arg)
              + " pairs but only "
              + remaining()
              + " bytes remain");
    }
    int n = (int) arg;
    Map<CborValue, CborValue> entries = new LinkedHashMap<>();
    int prevStart = -1;
    int prevEnd = -1;
    for (int i = 0; i < n; i++) {
      int keyStart = pos;
      CborValue key = read(depth + 1);
      int keyEnd = pos;
      if (prevStart >= 0) {
        int cmp = Arrays.compareUnsigned(in, prevStart, prevEnd, in, keyStart, keyEnd);
        if (cmp == 0) {
          throw new CborException("duplicate map key at offset " + keyStart);
        }
        if (cmp > 0) {
          throw new CborException("map keys not in deterministic order at offset " + keyStart);
        }
      }
      prevStart = keyStart;
      prevEnd = keyEnd;
      entries.put(key, read(depth + 1));
    }
    return new CborMap(entries);
  }

  private String utf8(int n, int at) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(in, pos, n))
          .toString();
    } catch (CharacterCodingException e) {
      throw new CborException("invalid UTF-8 in text string at offset " + at, e);
    }
  }
}
