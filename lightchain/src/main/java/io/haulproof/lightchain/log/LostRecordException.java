package io.haulproof.lightchain.log;

import java.io.IOException;

/**
 * A log index whose record was lost to damage (a {@link LossReport} covers it) or fails its CRC
 * when read.
 */
public final class LostRecordException extends IOException {
  private static final long serialVersionUID = 1L;

  public LostRecordException(String message) {
    super(message);
  }
}
