package io.haulproof.drivers.rfid;

/**
 * CRC-16 with the CCITT polynomial x^16 + x^12 + x^5 + 1 (0x1021), initial value 0, as ISO 11785
 * uses for the FDX-B air frame. FDX-B sends every byte least significant bit first, so the
 * air-frame CRC is the bit-reflected form ({@link #fdxb}, known as CRC-16/KERMIT, check value
 * 0x2189 over "123456789"); {@link #ccitt} is the MSB-first form (CRC-16/XMODEM, check 0x31C3).
 */
public final class Crc16 {
  private Crc16() {}

  /** MSB-first CRC-16/CCITT, poly 0x1021, init 0. */
  public static int ccitt(byte[] data, int off, int len) {
    int crc = 0;
    for (int i = off; i < off + len; i++) {
      crc ^= (data[i] & 0xFF) << 8;
      for (int b = 0; b < 8; b++) {
        crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
      }
    }
    return crc & 0xFFFF;
  }

  /**
   * LSB-first (reflected) CRC-16/CCITT, poly 0x1021 (0x8408 reflected), init 0: the FDX-B air-frame
   * CRC.
   */
  public static int fdxb(byte[] data, int off, int len) {
    int crc = 0;
    for (int i = off; i < off + len; i++) {
      crc ^= data[i] & 0xFF;
      for (int b = 0; b < 8; b++) {
        crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
      }
    }
    return crc & 0xFFFF;
  }
}
