package io.haulproof.lightchain.checkpoint;

import io.haulproof.lightchain.bytes.Hash;
import java.util.Base64;

/**
 * The body of a C2SP tlog-checkpoint (https://c2sp.org/tlog-checkpoint): origin line, tree size in
 * decimal, and the base64 RFC 9162 root, each ending in a newline.
 *
 * <p>Haulproof writes no extension lines and {@link #parse(String)} rejects them, so two parties
 * can never disagree about what a signed checkpoint says. The origin is {@code
 * haulproof.io/v1/<fleet>/<device>}.
 */
public record Checkpoint(String origin, long size, Hash root) {
  public Checkpoint {
    if (origin == null || origin.isEmpty()) {
      throw new NoteFormatException("empty checkpoint origin");
    }
    for (int i = 0; i < origin.length(); i++) {
      char c = origin.charAt(i);
      if (c < 0x21 || c == 0x7f) {
        throw new NoteFormatException("origin has a space or control character at " + i);
      }
    }
    if (size < 0) {
      throw new NoteFormatException("negative tree size " + size);
    }
    if (root == null) {
      throw new NoteFormatException("missing root");
    }
  }

  /** The origin recommended for a device of a fleet. */
  public static String originFor(String fleet, String device) {
    return "haulproof.io/v1/" + fleet + "/" + device;
  }

  /** The note text: three lines, each ending in a newline. */
  public String toText() {
    return origin + "\n" + size + "\n" + root.toBase64() + "\n";
  }

  /**
   * Parses the note text strictly: exactly three lines, canonical decimal size, canonical base64
   * 32-byte root.
   */
  public static Checkpoint parse(String text) {
    SignedNote.checkText(text);
    String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
    if (lines.length != 3) {
      throw new NoteFormatException("checkpoint has " + lines.length + " lines, want 3");
    }
    return new Checkpoint(lines[0], parseSize(lines[1]), parseRoot(lines[2]));
  }

  private static long parseSize(String s) {
    if (s.isEmpty() || s.length() > 19) {
      throw new NoteFormatException("bad tree size '" + SignedNote.clip(s) + "'");
    }
    if (s.length() > 1 && s.charAt(0) == '0') {
      throw new NoteFormatException("tree size has a leading zero: '" + s + "'");
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        throw new NoteFormatException("tree size is not decimal: '" + s + "'");
      }
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new NoteFormatException("tree size out of range: '" + s + "'");
    }
  }

  private static Hash parseRoot(String s) {
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(s);
    } catch (IllegalArgumentException e) {
      throw new NoteFormatException("root is not base64: " + e.getMessage());
    }
    if (raw.length != Hash.SIZE) {
      throw new NoteFormatException("wrong root size " + raw.length + ", want " + Hash.SIZE);
    }
    if (!Base64.getEncoder().encodeToString(raw).equals(s)) {
      throw new NoteFormatException("root is not canonical base64");
    }
    return Hash.of(raw);
  }
}
