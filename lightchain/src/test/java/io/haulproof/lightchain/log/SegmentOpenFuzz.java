package io.haulproof.lightchain.log;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.fuzz.FuzzFiles;
import io.haulproof.lightchain.fuzz.FuzzInput;
import io.haulproof.lightchain.fuzz.FuzzTarget;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target for log recovery (formerly {@code SegmentOpenFuzzTest}): a segment made of a valid
 * header and valid frames, cut at a fuzzer-chosen point, followed by fuzzer bytes and with a few
 * bits flipped, must open without any exception, and every record read back must be one that was
 * written at that index (a damaged one is lost or refused, never returned wrong).
 *
 * <p>Input layout ({@link FuzzInput}): frame count (0–20), cut point, tail bytes (≤ 2,048), flip
 * count (0–4), then per flip a position and an XOR byte.
 */
public final class SegmentOpenFuzz {
  private SegmentOpenFuzz() {}

  public static FuzzTarget target() {
    return new FuzzTarget("SegmentOpen", SegmentOpenFuzz::run, SegmentOpenFuzz::seeds);
  }

  static void run(byte[] data) throws IOException {
    FuzzInput in = new FuzzInput(data);
    Path dir = FuzzFiles.tempDir("hp-fuzz");
    try {
      Path logDir = Files.createDirectories(dir.resolve("log"));
      int frames = in.intIn(0, 20);
      ByteBuffer b =
          ByteBuffer.allocate(Frames.HEADER_SIZE + frames * (Frames.FRAME_OVERHEAD + 40) + 4096);
      b.put(Frames.header(0));
      for (int i = 0; i < frames; i++) {
        Frames.putFrame(b, i, payload(i));
      }
      b.position(in.intIn(0, b.position()));
      b.put(in.bytes(2048));
      int flips = in.intIn(0, 4);
      for (int k = 0; k < flips && b.position() > 0; k++) {
        int at = in.intIn(0, b.position() - 1);
        b.put(at, (byte) (b.get(at) ^ in.oneByte()));
      }
      Files.write(
          logDir.resolve("00000000000000000000.seg"), Arrays.copyOf(b.array(), b.position()));
      try (SegmentedLog log = SegmentedLog.open(dir, LogOptions.defaults())) {
        if (log.size() > frames + 1L) {
          throw new AssertionError("opened " + log.size() + " records, wrote " + frames);
        }
        for (long i = 0; i < log.size(); i++) {
          if (log.isLost(i)) {
            continue;
          }
          Bytes got;
          try {
            got = log.read(i);
          } catch (LostRecordException e) {
            continue; // damage the scan could not see is refused on read
          }
          if (!got.equals(Bytes.wrap(payload((int) i)))) {
            throw new AssertionError("record " + i + " read back as " + got);
          }
        }
      }
    } finally {
      FuzzFiles.deleteTree(dir);
    }
  }

  private static byte[] payload(int i) {
    byte[] p = new byte[1 + i % 40];
    Arrays.fill(p, (byte) (i * 7 + 1));
    return p;
  }

  /** Whole log; torn last frame; garbage tail; a flipped payload bit; a flipped header byte. */
  static List<byte[]> seeds() {
    List<byte[]> out = new ArrayList<>();
    int whole = Frames.HEADER_SIZE;
    for (int i = 0; i < 12; i++) {
      whole += Frames.frameSize(payload(i).length);
    }
    out.add(seed(12, whole, new byte[0], new int[0][]));
    out.add(seed(12, whole - 5, new byte[0], new int[0][]));
    out.add(seed(12, whole, "garbage after the last frame".getBytes(), new int[0][]));
    out.add(seed(12, whole, new byte[0], new int[][] {{whole - 3, 0x10}}));
    out.add(seed(12, whole, new byte[0], new int[][] {{3, 0x01}, {Frames.HEADER_SIZE + 2, 0x80}}));
    out.add(seed(20, Frames.HEADER_SIZE + 200, new byte[64], new int[0][]));
    return out;
  }

  private static byte[] seed(int frames, int cut, byte[] tail, int[][] flips) {
    FuzzInput.Writer w = new FuzzInput.Writer().intIn(0, frames).intIn(0, cut).bytes(tail);
    w.intIn(0, flips.length);
    for (int[] f : flips) {
      w.intIn(0, f[0]).oneByte(f[1]);
    }
    return w.toByteArray();
  }
}
