package io.haulproof.uplink.checkpoint;

import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.uplink.wire.WireFormatException;

/**
 * Reads size and root from the body of a C2SP checkpoint (or a signed note starting with one)
 * without verifying it: used by a sender to compare the witness's latest checkpoint with its own
 * tree.
 */
public final class CheckpointText {
  private CheckpointText() {}

  /** Size and root of a checkpoint text: origin line, decimal size line, base64 root line. */
  public record SizeAndRoot(long size, Hash root) {}

  public static SizeAndRoot parse(String note) {
    String[] lines = note.split("\n", 4);
    if (lines.length < 3) {
      throw new WireFormatException("checkpoint has " + lines.length + " lines, want >= 3");
    }
    try {
      long size = Long.parseLong(lines[1]);
      if (size < 0 || !Long.toString(size).equals(lines[1])) {
        throw new NumberFormatException(lines[1]);
      }
      return new SizeAndRoot(size, Hash.fromBase64(lines[2]));
    } catch (IllegalArgumentException e) {
      throw new WireFormatException("checkpoint size/root lines unreadable: " + e.getMessage(), e);
    }
  }
}
