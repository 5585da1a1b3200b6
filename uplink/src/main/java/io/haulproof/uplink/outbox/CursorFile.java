package io.haulproof.uplink.outbox;

import io.haulproof.lightchain.files.DurableFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox cursor on disk: 8 bytes big-endian index of the first entry not yet acknowledged, then
 * a CRC32C of them.
 *
 * <p>It is derived state (DESIGN.md "Storage"): written with temp file, fsync and atomic rename; if
 * it is missing or damaged the outbox restarts from 0 and the ledger's deduplication on (device,
 * index) absorbs the resend.
 */
public final class CursorFile {
  private static final Logger LOG = LoggerFactory.getLogger(CursorFile.class);
  private static final int LENGTH = 12;
  private final Path file;

  public CursorFile(Path file) {
    this.file = file;
  }

  public Path path() {
    return file;
  }

  /** The stored cursor, or 0 if there is none or it is damaged. */
  public long read() {
    try {
      if (!Files.exists(file)) {
        return 0;
      }
      byte[] b = Files.readAllBytes(file);
      if (b.length != LENGTH) {
        LOG.warn(
            "outbox cursor {} has {} bytes, want {}; resending from 0", file, b.length, LENGTH);
        return 0;
      }
      ByteBuffer buf = ByteBuffer.wrap(b);
      long cursor = buf.getLong();
      int crc = buf.getInt();
      CRC32C c = new CRC32C();
      c.update(b, 0, 8);
      if ((int) c.getValue() != crc || cursor < 0) {
        LOG.warn(
            "outbox cursor {} is damaged (crc {} want {}); resending from 0",
            file,
            Integer.toHexString(crc),
            Integer.toHexString((int) c.getValue()));
        return 0;
      }
      return cursor;
    } catch (IOException e) {
      LOG.warn("outbox cursor {} unreadable ({}); resending from 0", file, e.toString());
      return 0;
    }
  }

  /** Stores {@code cursor} durably: temp file, fsync, rename, directory fsync. */
  public void write(long cursor) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(LENGTH);
    buf.putLong(cursor);
    CRC32C c = new CRC32C();
    c.update(buf.array(), 0, 8);
    buf.putInt((int) c.getValue());
    DurableFiles.write(file, buf.array());
  }
}
