package io.haulproof.lightchain.log;

import io.haulproof.lightchain.bytes.Bytes;
import java.util.Objects;

/**
 * One record of the log: its index and its payload (the exact COSE_Sign1 bytes for evidence
 * entries).
 */
public record LogRecord(long index, Bytes payload) {
  public LogRecord {
    Objects.requireNonNull(payload, "payload");
    if (index < 0) {
      throw new IllegalArgumentException("negative index " + index);
    }
  }
}
