package io.haulproof.lightchain.log;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The on-disk layout of a segment: a 32-byte header, then frames.
 *
 * <pre>
 * header: magic "HPLOGSEG" (8) | version u32 = 1 | reserved u32 = 0 | first index u64 | CRC32C of the 24 bytes
 *         before it (u32) | zero (4)
 * frame:  payload length u32 | CRC32C u32 | index u64 | payload
 *         the CRC covers the length, the index and the payload (everything but itself)
 * </pre>
 *
 * All integers are big-endian. Each frame carries its log index so that, after damage, the records
 * that follow can be found again and the exact indices lost are known.
 */
final class Frames {
  static final int HEADER_SIZE = 32;
  static final int FRAME_OVERHEAD = 16;

  /**
   * Payloads are COSE entries of a few hundred bytes; a bound keeps resynchronisation after damage
   * cheap.
   */
  static final int MAX_PAYLOAD = 64 * 1024;

  static final int VERSION = 1;
  private static final byte[] MAGIC = "HPLOGSEG".getBytes(StandardCharsets.US_ASCII);

  private Frames() {}

  static ByteBuffer header(long firstIndex) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE);
    b.put(MAGIC).putInt(VERSION).putInt(0).putLong(firstIndex);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, 24);
    b.putInt((int) crc.getValue()).putInt(0);
    return b.flip();
  }

  /**
   * The first index recorded in a header at {@code b}'s position, or -1 if the header is not valid.
   */
  static long parseHeader(ByteBuffer b, int at) {
    if (b.limit() - at < HEADER_SIZE) {
      return -1;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (b.get(at + i) != MAGIC[i]) {
        return -1;
      }
    }
    CRC32C crc = new CRC32C();
    crc.update(b.duplicate().position(at).limit(at + 24));
    if ((int) crc.getValue() != b.getInt(at + 24) || b.getInt(at + 8) != VERSION) {
      return -1;
    }
    long first = b.getLong(at + 16);
    return first < 0 ? -1 : first;
  }

  /** Writes one frame into {@code out} (which must have room). */
  static void putFrame(ByteBuffer out, long index, byte[] payload) {
    int start = out.position();
    out.putInt(payload.length).putInt(0).putLong(index).put(payload);
    CRC32C crc = new CRC32C();
    ByteBuffer d = out.duplicate();
    crc.update(d.position(start).limit(start + 4));
    d = out.duplicate();
    crc.update(d.position(start + 8).limit(start + FRAME_OVERHEAD + payload.length));
    out.putInt(start + 4, (int) crc.getValue());
  }

  /**
   * Checks the frame at {@code at} in {@code b} (absolute positions, up to {@code b.limit()}).
   *
   * @return the frame's index, or -1 if there is no complete frame with a plausible length and a
   *     matching CRC
   */
  static long checkFrame(ByteBuffer b, int at) {
    if (b.limit() - at < FRAME_OVERHEAD) {
      return -1;
    }
    int len = b.getInt(at);
    if (len < 1 || len > MAX_PAYLOAD || b.limit() - at - FRAME_OVERHEAD < len) {
      return -1;
    }
    CRC32C crc = new CRC32C();
    crc.update(b.duplicate().position(at).limit(at + 4));
    crc.update(b.duplicate().position(at + 8).limit(at + FRAME_OVERHEAD + len));
    if ((int) crc.getValue() != b.getInt(at + 4)) {
      return -1;
    }
    long index = b.getLong(at + 8);
    return index < 0 ? -1 : index;
  }

  static int frameSize(int payloadLength) {
    return FRAME_OVERHEAD + payloadLength;
  }
}
