package io.haulproof.drivers.reading;

import io.haulproof.lightchain.bytes.Bytes;
import java.util.Objects;

/** A UHF EPC Gen2 identity (the EPC bank bytes, typically 96 bits), kept as read. */
public record EpcCode(Bytes epc) implements TagId {
  public EpcCode {
    Objects.requireNonNull(epc, "epc");
    if (epc.isEmpty() || epc.length() > 62) {
      throw new IllegalArgumentException("EPC length " + epc.length() + " outside 1..62 bytes");
    }
  }

  @Override
  public String rawHex() {
    return epc.toHex();
  }
}
