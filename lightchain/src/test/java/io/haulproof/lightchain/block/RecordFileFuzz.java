package io.haulproof.lightchain.block;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.fuzz.FuzzFiles;
import io.haulproof.lightchain.fuzz.FuzzInput;
import io.haulproof.lightchain.fuzz.FuzzTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz target for the block record file's recovery: a file of valid records, cut at a fuzzer-chosen
 * point, followed by fuzzer bytes and with a few bytes changed, must open without an unexpected
 * exception, keep only a prefix of what was written, and quarantine a copy whenever it reports
 * damage. {@link RecordFile#readStrict} must refuse any file that open had to repair.
 *
 * <p>Input layout ({@link FuzzInput}): record count (0–12), cut point, tail bytes (≤ 1,024), flip
 * count (0–4), then per flip a position and an XOR byte.
 */
public final class RecordFileFuzz {
  private static final byte[] MAGIC = BlockStore.MAGIC;

  private RecordFileFuzz() {}

  public static FuzzTarget target() {
    return new FuzzTarget("BlockRecordFile", RecordFileFuzz::run, RecordFileFuzz::seeds);
  }

  static void run(byte[] data) throws IOException {
    FuzzInput in = new FuzzInput(data);
    Path dir = FuzzFiles.tempDir("hp-fuzz-blocks");
    try {
      Path file = dir.resolve("blocks.rec");
      int count = in.intIn(0, 12);
      List<Bytes> written = new ArrayList<>();
      try (RecordFile f = RecordFile.open(file, MAGIC, dir.resolve("quarantine"))) {
        for (int i = 0; i < count; i++) {
          Bytes r = record(i);
          f.append(r);
          written.add(r);
        }
      }
      byte[] whole = Files.readAllBytes(file);
      byte[] b = Arrays.copyOf(whole, in.intIn(0, whole.length));
      byte[] tail = in.bytes(1024);
      b = Arrays.copyOf(b, b.length + tail.length);
      System.arraycopy(tail, 0, b, b.length - tail.length, tail.length);
      int flips = in.intIn(0, 4);
      for (int k = 0; k < flips && b.length > 0; k++) {
        int at = in.intIn(0, b.length - 1);
        b[at] ^= in.oneByte();
      }
      Files.write(file, b);
      boolean strictOk;
      try {
        List<Bytes> strict = RecordFile.readStrict(file, MAGIC);
        strictOk = true;
        if (!isPrefix(strict, written)) {
          throw new AssertionError("readStrict returned records never written: " + strict);
        }
      } catch (IOException e) {
        strictOk = false;
      }
      try (RecordFile f = RecordFile.open(file, MAGIC, dir.resolve("quarantine"))) {
        if (!isPrefix(f.records(), written)) {
          throw new AssertionError("open kept records never written: " + f.records());
        }
        RecordFile.Recovery r = f.recovery();
        if (r.damageOffset() >= 0 && r.quarantined().isEmpty()) {
          throw new AssertionError("damage reported without a quarantined copy: " + r);
        }
        if (strictOk && (r.damaged() || r.tornBytes() > 0)) {
          throw new AssertionError("readStrict accepted a file that open repaired: " + r);
        }
      } catch (IOException e) {
        if (b.length >= MAGIC.length && Arrays.equals(Arrays.copyOf(b, MAGIC.length), MAGIC)) {
          throw new AssertionError("open refused a file with a good magic", e);
        }
      }
    } finally {
      FuzzFiles.deleteTree(dir);
    }
  }

  private static boolean isPrefix(List<Bytes> got, List<Bytes> written) {
    return got.size() <= written.size() && got.equals(written.subList(0, got.size()));
  }

  private static Bytes record(int i) {
    byte[] p = new byte[1 + (i * 13) % 70];
    Arrays.fill(p, (byte) (i * 11 + 3));
    return Bytes.wrap(p);
  }

  static List<byte[]> seeds() {
    return List.of(
        seed(8, -1, new byte[0], new int[0][]),
        seed(8, 120, new byte[0], new int[0][]),
        seed(8, -1, new byte[40], new int[0][]),
        seed(8, -1, new byte[0], new int[][] {{60, 0x04}}),
        seed(3, -1, new byte[0], new int[][] {{2, 0x20}}));
  }

  private static byte[] seed(int count, int cut, byte[] tail, int[][] flips) {
    FuzzInput.Writer w = new FuzzInput.Writer().intIn(0, count);
    (cut < 0 ? w.max() : w.intIn(0, cut)).bytes(tail).intIn(0, flips.length);
    for (int[] f : flips) {
      w.intIn(0, f[0]).oneByte(f[1]);
    }
    return w.toByteArray();
  }
}
