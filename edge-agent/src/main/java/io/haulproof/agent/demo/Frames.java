package io.haulproof.agent.demo;

import io.haulproof.drivers.scale.ToledoContinuousReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;

/**
 * Device byte formats the route simulator speaks, built from their specifications (DOMAIN.md
 * section 3): NMEA 0183 sentences, the 30-byte FDX-B UART reader frame and Toledo continuous
 * output.
 */
public final class Frames {
  private Frames() {}

  /** One NMEA sentence with its checksum (XOR of every character between '$' and '*') and CR LF. */
  public static byte[] nmea(String body) {
    int x = 0;
    for (int i = 0; i < body.length(); i++) {
      x ^= body.charAt(i);
    }
    return String.format(Locale.ROOT, "$%s*%02X\r\n", body, x).getBytes(StandardCharsets.US_ASCII);
  }

  /** An RMC, GGA and GSA epoch for a valid 3D fix at {@code utc}. */
  public static byte[] nmeaEpoch(Instant utc, double lat, double lon, int satellites, double hdop) {
    ZonedDateTime t = utc.atZone(ZoneOffset.UTC);
    String time =
        String.format(
            Locale.ROOT,
            "%02d%02d%02d.%03d",
            t.getHour(),
            t.getMinute(),
            t.getSecond(),
            t.getNano() / 1_000_000);
    String date =
        String.format(
            Locale.ROOT, "%02d%02d%02d", t.getDayOfMonth(), t.getMonthValue(), t.getYear() % 100);
    String la = degMin(Math.abs(lat), 2) + "," + (lat >= 0 ? "N" : "S");
    String lo = degMin(Math.abs(lon), 3) + "," + (lon >= 0 ? "E" : "W");
    byte[] rmc = nmea("GPRMC," + time + ",A," + la + "," + lo + ",3.2,84.4," + date + ",,,A");
    byte[] gga =
        nmea(
            String.format(
                Locale.ROOT,
                "GPGGA,%s,%s,%s,1,%02d,%.1f,12.0,M,46.9,M,,",
                time,
                la,
                lo,
                satellites,
                hdop));
    byte[] gsa =
        nmea(
            String.format(
                Locale.ROOT,
                "GPGSA,A,3,04,05,09,12,17,20,,,,,,,%.1f,%.1f,%.1f",
                hdop * 1.6,
                hdop,
                hdop * 1.3));
    return concat(rmc, gga, gsa);
  }

  private static String degMin(double deg, int degDigits) {
    int d = (int) deg;
    double min = (deg - d) * 60;
    return String.format(Locale.ROOT, "%0" + degDigits + "d%07.4f", d, min);
  }

  /**
   * The 30-byte frame of FDX-B UART reader modules: {@code 02 | 10 hex id digits | 4 hex country
   * digits | data-block flag | animal flag | 4 reserved | 6 extension | XOR | ~XOR | 03}, digit
   * groups least significant first.
   */
  public static byte[] fdxbUart(int country, long nationalId) {
    byte[] f = new byte[30];
    f[0] = 0x02;
    putHexLsbFirst(f, 1, 10, nationalId);
    putHexLsbFirst(f, 11, 4, country);
    f[15] = '0';
    f[16] = '0';
    for (int i = 17; i <= 26; i++) {
      f[i] = '0';
    }
    int x = 0;
    for (int i = 1; i <= 26; i++) {
      x ^= f[i] & 0xFF;
    }
    f[27] = (byte) x;
    f[28] = (byte) (~x & 0xFF);
    f[29] = 0x03;
    return f;
  }

  private static void putHexLsbFirst(byte[] f, int at, int digits, long value) {
    String hex = String.format("%0" + digits + "X", value);
    for (int i = 0; i < digits; i++) {
      f[at + i] = (byte) hex.charAt(digits - 1 - i);
    }
  }

  /**
   * A Toledo continuous-output frame with checksum for a weight in tenths of a kilogram, increment
   * x5 (e = 0.5 kg), one decimal; {@code motion} sets SWB bit 3.
   */
  public static byte[] toledo(long tenthsKg, boolean motion) {
    int swa = 0x20 | (3 << 3) | 3; // bit 5 always set, increment x5, one decimal
    int swb = 0x20 | 0x10 | (motion ? 0x08 : 0) | (tenthsKg < 0 ? 0x02 : 0);
    return ToledoContinuousReader.encode(swa, swb, 0x20, Math.abs(tenthsKg), 0, true);
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] p : parts) {
      System.arraycopy(p, 0, out, at, p.length);
      at += p.length;
    }
    return out;
  }
}
