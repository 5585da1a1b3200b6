package io.haulproof.drivers.scale;

/**
 * Modbus RTU CRC-16 (polynomial 0xA001 reflected, init 0xFFFF), sent low byte first (Modbus over
 * serial line §2.5.1.2).
 */
public final class ModbusCrc {
  private ModbusCrc() {}

  public static int crc(byte[] data, int off, int len) {
    int crc = 0xFFFF;
    for (int i = off; i < off + len; i++) {
      crc ^= data[i] & 0xFF;
      for (int b = 0; b < 8; b++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xA001 : crc >>> 1;
      }
    }
    return crc;
  }

  /** Copies {@code pdu} and appends its CRC, low byte first. */
  public static byte[] withCrc(byte[] pdu) {
    byte[] out = java.util.Arrays.copyOf(pdu, pdu.length + 2);
    int c = crc(pdu, 0, pdu.length);
    out[pdu.length] = (byte) c;
    out[pdu.length + 1] = (byte) (c >>> 8);
    return out;
  }

  /** True when the last two bytes are the CRC of the rest. */
  public static boolean valid(byte[] frame, int len) {
    if (len < 3) {
      return false;
    }
    int c = crc(frame, 0, len - 2);
    return (frame[len - 2] & 0xFF) == (c & 0xFF) && (frame[len - 1] & 0xFF) == (c >>> 8);
  }
}
