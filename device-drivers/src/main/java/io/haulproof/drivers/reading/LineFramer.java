package io.haulproof.drivers.reading;

import java.nio.charset.StandardCharsets;

/**
 * A {@link ByteFramer} for ASCII line protocols terminated by LF (CR LF or CR alone also end a
 * line): hands each non-empty line, without its terminator, to {@link #onLine}.
 */
public abstract class LineFramer extends ByteFramer {
  protected LineFramer(int maxLine, DriverMetrics metrics) {
    super(maxLine, metrics);
  }

  @Override
  protected final int frameLength(byte[] buf, int start, int available) {
    if (buf[start] == '\r' || buf[start] == '\n') {
      return NOT_A_FRAME;
    }
    for (int i = 0; i < available; i++) {
      byte b = buf[start + i];
      if (b == '\n' || b == '\r') {
        return i + 1;
      }
    }
    return available >= maxFrame()
        ? maxFrame()
        : NEED_MORE; // an over-long line is cut and rejected in onFrame
  }

  @Override
  protected final void onFrame(byte[] frame) {
    byte last = frame[frame.length - 1];
    if (last != '\n' && last != '\r') {
      throw new MalformedFrameException("length", "line longer than " + maxFrame() + " bytes");
    }
    for (int i = 0; i < frame.length - 1; i++) {
      int c = frame[i] & 0xFF;
      if (c < 0x20 || c > 0x7E) {
        throw new MalformedFrameException("charset", "byte 0x" + HexDigits.lower2(c) + " at " + i);
      }
    }
    onLine(new String(frame, 0, frame.length - 1, StandardCharsets.US_ASCII));
  }

  @Override
  protected final boolean consumeRejectedFrames() {
    return true;
  }

  /** Decodes one line; throws {@link MalformedFrameException} to reject it. */
  protected abstract void onLine(String line);
}
