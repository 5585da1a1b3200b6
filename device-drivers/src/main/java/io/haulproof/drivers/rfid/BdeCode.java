package io.haulproof.drivers.rfid;

import io.haulproof.drivers.reading.Iso11784Code;
import io.haulproof.drivers.reading.MalformedFrameException;

/**
 * The German "BDE" container layout inside an ISO 11784 national id: a 10-bit manufacturer code
 * above a 22-bit container number, the top 6 id bits zero.
 *
 * <p>Assumption to confirm against DIN 30745 / the BDE guideline (not public): the 32 bits sit in
 * the low end of the 38-bit national id, manufacturer in bits 22–31. Decoding is therefore an
 * explicit option, never automatic.
 */
public record BdeCode(int manufacturer, int containerNumber) {
  public BdeCode {
    if (manufacturer < 0 || manufacturer > 1023) {
      throw new IllegalArgumentException("manufacturer " + manufacturer + " outside 0..1023");
    }
    if (containerNumber < 0 || containerNumber > (1 << 22) - 1) {
      throw new IllegalArgumentException(
          "container number " + containerNumber + " outside 0..4194303");
    }
  }

  /** Reads the BDE fields from a code; rejects ids that use the top 6 bits. */
  public static BdeCode from(Iso11784Code code) {
    long id = code.nationalId();
    if (id >>> 32 != 0) {
      throw new MalformedFrameException(
          "range", "national id " + id + " uses bits above 32, not a BDE layout");
    }
    return new BdeCode((int) (id >>> 22) & 0x3FF, (int) (id & 0x3FFFFF));
  }

  /** The national id this layout encodes to. */
  public long nationalId() {
    return ((long) manufacturer << 22) | containerNumber;
  }
}
