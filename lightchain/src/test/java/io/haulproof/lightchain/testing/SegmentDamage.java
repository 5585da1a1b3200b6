package io.haulproof.lightchain.testing;

import io.haulproof.lightchain.bytes.Bytes;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

/** Damage to an evidence log on disk, as a failing disk would do it. */
public final class SegmentDamage {
  private SegmentDamage() {}

  /**
   * Flips one byte in the middle of {@code entry}'s bytes in the segment of {@code dataDir/log}
   * that holds them, leaving its frame's CRC as it was (a CRC mismatch the next open quarantines).
   */
  public static void flipInside(Path dataDir, Bytes entry) throws IOException {
    byte[] needle = entry.toByteArray();
    try (Stream<Path> s = Files.list(dataDir.resolve("log"))) {
      for (Path seg : s.filter(p -> p.toString().endsWith(".seg")).sorted().toList()) {
        byte[] all = Files.readAllBytes(seg);
        for (int i = 0; i + needle.length <= all.length; i++) {
          if (Arrays.equals(all, i, i + needle.length, needle, 0, needle.length)) {
            try (RandomAccessFile f = new RandomAccessFile(seg.toFile(), "rw")) {
              long at = i + needle.length / 2;
              f.seek(at);
              int b = f.read();
              f.seek(at);
              f.write(b ^ 0x5a);
            }
            return;
          }
        }
      }
    }
    throw new AssertionError("entry not found in any segment of " + dataDir);
  }
}
