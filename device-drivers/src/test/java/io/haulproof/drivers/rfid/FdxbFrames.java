package io.haulproof.drivers.rfid;

import io.haulproof.drivers.reading.Iso11784Code;
import java.nio.charset.StandardCharsets;

/** Builds 30-byte FDX-B UART module frames, for tests and the pty stream. */
public final class FdxbFrames {
  private FdxbFrames() {}

  public static byte[] frame(Iso11784Code code) {
    StringBuilder id = new StringBuilder(String.format("%010X", code.nationalId())).reverse();
    StringBuilder country = new StringBuilder(String.format("%04X", code.country())).reverse();
    String body =
        id
            + ""
            + country
            + (code.dataBlock() ? "1" : "0")
            + (code.animal() ? "1" : "0")
            + "0000000000";
    byte[] b = body.getBytes(StandardCharsets.US_ASCII);
    byte[] f = new byte[30];
    f[0] = 0x02;
    System.arraycopy(b, 0, f, 1, 26);
    int x = 0;
    for (int i = 1; i <= 26; i++) {
      x ^= f[i];
    }
    f[27] = (byte) x;
    f[28] = (byte) ~x;
    f[29] = 0x03;
    return f;
  }
}
