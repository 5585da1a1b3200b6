package io.haulproof.lightchain.checkpoint;

import io.haulproof.lightchain.bytes.Bytes;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A C2SP signed note (https://c2sp.org/signed-note): a text ending in a newline, a blank line, and
 * one or more signature lines.
 *
 * <p>{@link #parse(byte[])} is strict: valid UTF-8 only, no control characters other than newline,
 * the text split from the signatures at the last blank line, every signature line well formed with
 * canonical base64, at most {@value #MAX_SIGNATURES} signatures and {@value #MAX_NOTE_BYTES} bytes.
 * Signature lines from unknown keys are kept; it is the verifier's job to pick the one it trusts.
 */
public record SignedNote(String text, List<NoteSignature> signatures) {
  /** Em dash (U+2014) and a space. */
  public static final String SIGNATURE_PREFIX = "\u2014 ";

  public static final int MAX_SIGNATURES = 32;
  public static final int MAX_NOTE_BYTES = 8192;

  public SignedNote {
    checkText(text);
    signatures = List.copyOf(signatures);
    if (signatures.isEmpty()) {
      throw new NoteFormatException("a signed note needs at least one signature");
    }
    if (signatures.size() > MAX_SIGNATURES) {
      throw new NoteFormatException(
          "too many signatures " + signatures.size() + ", max " + MAX_SIGNATURES);
    }
  }

  /** The signed note with one more signature line appended (for example a witness cosignature). */
  public SignedNote withSignature(NoteSignature signature) {
    List<NoteSignature> all = new ArrayList<>(signatures);
    all.add(signature);
    return new SignedNote(text, all);
  }

  /** The signatures whose key name and key id both match. */
  public List<NoteSignature> signaturesBy(String name, int keyId) {
    return signatures.stream().filter(s -> s.name().equals(name) && s.keyId() == keyId).toList();
  }

  /** The wire form: text, blank line, one line per signature. */
  public String encode() {
    StringBuilder sb = new StringBuilder(text.length() + 160 * signatures.size());
    sb.append(text).append('\n');
    for (NoteSignature s : signatures) {
      sb.append(s.toLine()).append('\n');
    }
    return sb.toString();
  }

  public byte[] encodeUtf8() {
    return encode().getBytes(StandardCharsets.UTF_8);
  }

  /** Parses the UTF-8 wire form strictly; throws {@link NoteFormatException} on any deviation. */
  public static SignedNote parse(byte[] wire) {
    if (wire.length > MAX_NOTE_BYTES) {
      throw new NoteFormatException(
          "note too large: " + wire.length + " bytes, max " + MAX_NOTE_BYTES);
    }
    String s;
    try {
      s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(wire))
              .toString();
    } catch (CharacterCodingException e) {
      throw new NoteFormatException("note is not valid UTF-8: " + e.getMessage());
    }
    return parse(s);
  }

  /** Parses the wire form strictly; throws {@link NoteFormatException} on any deviation. */
  public static SignedNote parse(String wire) {
    if (wire.length() > MAX_NOTE_BYTES) {
      throw new NoteFormatException(
          "note too large: " + wire.length() + " chars, max " + MAX_NOTE_BYTES);
    }
    checkNoControl(wire);
    if (!wire.endsWith("\n")) {
      throw new NoteFormatException("note does not end in a newline");
    }
    int split = wire.lastIndexOf("\n\n");
    if (split < 0) {
      throw new NoteFormatException("note has no blank line before its signatures");
    }
    String text = wire.substring(0, split + 1);
    String sigBlock = wire.substring(split + 2);
    if (sigBlock.isEmpty()) {
      throw new NoteFormatException("note has no signature lines");
    }
    List<NoteSignature> sigs = new ArrayList<>();
    int start = 0;
    while (start < sigBlock.length()) {
      int nl = sigBlock.indexOf('\n', start);
      sigs.add(parseSignatureLine(sigBlock.substring(start, nl)));
      if (sigs.size() > MAX_SIGNATURES) {
        throw new NoteFormatException("too many signatures, max " + MAX_SIGNATURES);
      }
      start = nl + 1;
    }
    return new SignedNote(text, sigs);
  }

  private static NoteSignature parseSignatureLine(String line) {
    if (!line.startsWith(SIGNATURE_PREFIX)) {
      throw new NoteFormatException(
          "signature line does not start with an em dash and a space: " + clip(line));
    }
    String rest = line.substring(SIGNATURE_PREFIX.length());
    int sp = rest.indexOf(' ');
    if (sp <= 0 || rest.indexOf(' ', sp + 1) >= 0) {
      throw new NoteFormatException(
          "signature line needs exactly '<name> <base64>': " + clip(line));
    }
    String name = rest.substring(0, sp);
    String b64 = rest.substring(sp + 1);
    byte[] raw;
    try {
      raw = Base64.getDecoder().decode(b64);
    } catch (IllegalArgumentException e) {
      throw new NoteFormatException(
          "signature of " + clip(name) + " is not base64: " + e.getMessage());
    }
    if (!Base64.getEncoder().encodeToString(raw).equals(b64)) {
      throw new NoteFormatException("signature of " + clip(name) + " is not canonical base64");
    }
    if (raw.length < 5) {
      throw new NoteFormatException(
          "signature of " + clip(name) + " too short: " + raw.length + " bytes, want > 4");
    }
    int keyId =
        ((raw[0] & 0xff) << 24)
            | ((raw[1] & 0xff) << 16)
            | ((raw[2] & 0xff) << 8)
            | (raw[3] & 0xff);
    return new NoteSignature(name, keyId, Bytes.of(raw, 4, raw.length - 4));
  }

  static void checkText(String text) {
    if (text == null || text.isEmpty() || !text.endsWith("\n")) {
      throw new NoteFormatException("note text must be non-empty and end in a newline");
    }
    checkNoControl(text);
  }

  /** Key names are non-empty and hold no Unicode space and no '+'. */
  static void checkKeyName(String name) {
    if (name == null || name.isEmpty()) {
      throw new NoteFormatException("empty key name");
    }
    for (int i = 0; i < name.length(); ) {
      int cp = name.codePointAt(i);
      if (cp == '+' || Character.isWhitespace(cp) || Character.isSpaceChar(cp) || cp < 0x20) {
        throw new NoteFormatException(
            "key name has a space, '+' or control character: " + clip(name));
      }
      i += Character.charCount(cp);
    }
  }

  private static void checkNoControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if ((c < 0x20 && c != '\n') || c == 0x7f) {
        throw new NoteFormatException("control character 0x" + Integer.toHexString(c) + " at " + i);
      }
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < s.length()
            && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          throw new NoteFormatException("unpaired surrogate at " + i);
        }
      }
    }
  }

  static String clip(String s) {
    return s.length() <= 64 ? s : s.substring(0, 64) + "…";
  }
}
