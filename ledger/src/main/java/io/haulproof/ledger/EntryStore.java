package io.haulproof.ledger;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.merkle.MerkleTree;
import io.haulproof.lightchain.merkle.Rfc9162;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One device's entries at the ledger: an append-only file of records {@code [u32 length][u32
 * CRC32C][COSE bytes]} in index order, with an in-memory offset index and RFC 9162 tree rebuilt on
 * open.
 *
 * <p>Appends are made durable in groups ({@link #sync()}); the ledger reports only durable entries
 * to senders, so an entry lost in a ledger crash is sent again. Entry {@code i} is the {@code i}-th
 * record, so the file holds each index exactly once and in order. A torn last record (crash during
 * append) is cut off on open; the sender resends it because the ledger reports how many entries it
 * holds. Not thread-safe; {@link DeviceLedger} serializes access.
 *
 * <p>A gap (an index the device lost, see {@code LostEntryMessage}) is a record {@code 0xF7 ‖ leaf
 * hash} (33 bytes; no COSE_Sign1 starts with CBOR {@code undefined}): it holds no content, only the
 * leaf hash the device's tree holds there, so roots and proofs still match the device's.
 */
public final class EntryStore implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(EntryStore.class);
  static final int MAX_ENTRY = 64 * 1024;

  private final FileChannel channel;
  private final MerkleTree tree = MerkleTree.inMemory();
  private static final byte GAP = (byte) 0xF7;
  private final java.util.TreeSet<Long> gaps = new java.util.TreeSet<>();
  private long[] offsets = new long[1024];
  private long count;
  private long end;
  private boolean dirty;

  private EntryStore(FileChannel channel) {
    this.channel = channel;
  }

  /** Opens (or creates) {@code file}, checks every record and cuts a torn tail. */
  public static EntryStore open(Path file) throws IOException {
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    EntryStore s = new EntryStore(ch);
    s.recover();
    return s;
  }

  private void recover() throws IOException {
    long size = channel.size();
    long pos = 0;
    ByteBuffer head = ByteBuffer.allocate(8);
    while (pos + 8 <= size) {
      head.clear();
      readFully(head, pos);
      head.flip();
      int len = head.getInt();
      int crc = head.getInt();
      if (len <= 0 || len > MAX_ENTRY || pos + 8 + len > size) {
        break;
      }
      ByteBuffer body = ByteBuffer.allocate(len);
      readFully(body, pos + 8);
      if (crc32c(body.array()) != crc) {
        break;
      }
      index(pos, Bytes.wrap(body.array()));
      pos += 8 + len;
    }
    if (pos != size) {
      LOG.warn("ledger store: cutting {} bytes of torn tail after {} entries", size - pos, count);
      channel.truncate(pos);
      channel.force(true);
    }
    end = pos;
  }

  private void index(long offset, Bytes entry) {
    if (count == offsets.length) {
      offsets = Arrays.copyOf(offsets, offsets.length * 2);
    }
    offsets[(int) count] = offset;
    if (isGap(entry)) {
      gaps.add(count);
      tree.append(Hash.of(java.util.Arrays.copyOfRange(entry.toByteArray(), 1, 1 + Hash.SIZE)));
    } else {
      tree.append(Rfc9162.leafHash(entry));
    }
    count++;
  }

  /**
   * The record that stands for a lost index whose leaf hash in the device's tree is {@code leaf}.
   */
  public static Bytes gapRecord(Hash leaf) {
    byte[] b = new byte[1 + Hash.SIZE];
    b[0] = GAP;
    System.arraycopy(leaf.toByteArray(), 0, b, 1, Hash.SIZE);
    return Bytes.wrap(b);
  }

  static boolean isGap(Bytes record) {
    return record.length() == 1 + Hash.SIZE && record.get(0) == GAP;
  }

  /** Whether {@code index} is a recorded gap (lost at the device), not an entry. */
  public boolean isGap(long index) {
    return gaps.contains(index);
  }

  /** The leaf hash at {@code index}. */
  public Hash leafHash(long index) {
    return tree.leafHash(index);
  }

  /** How many entries are stored: indexes {@code 0..count()-1}. */
  public long count() {
    return count;
  }

  /** Appends entry {@code count()}; durable after the next {@link #sync()}. */
  public void append(Bytes entry) throws IOException {
    if (entry.length() == 0 || entry.length() > MAX_ENTRY) {
      throw new IllegalArgumentException(
          "entry of " + entry.length() + " bytes, want 1.." + MAX_ENTRY);
    }
    byte[] data = entry.toByteArray();
    ByteBuffer buf = ByteBuffer.allocate(8 + data.length);
    buf.putInt(data.length).putInt(crc32c(data)).put(data).flip();
    long at = end;
    while (buf.hasRemaining()) {
      at += channel.write(buf, at);
    }
    index(end, entry);
    end = at;
    dirty = true;
  }

  /** Makes every appended entry durable. */
  public void sync() throws IOException {
    if (dirty) {
      channel.force(false);
      dirty = false;
    }
  }

  /** The stored bytes of entry {@code index}. */
  public Bytes get(long index) throws IOException {
    if (index < 0 || index >= count) {
      throw new IndexOutOfBoundsException("entry " + index + ", have " + count);
    }
    long off = offsets[(int) index];
    ByteBuffer head = ByteBuffer.allocate(8);
    readFully(head, off);
    head.flip();
    int len = head.getInt();
    ByteBuffer body = ByteBuffer.allocate(len);
    readFully(body, off + 8);
    return Bytes.wrap(body.array());
  }

  public Hash root(long size) {
    return tree.root(size);
  }

  public List<Hash> inclusionProof(long index, long size) {
    return tree.inclusionProof(index, size);
  }

  @Override
  public void close() throws IOException {
    sync();
    channel.close();
  }

  private void readFully(ByteBuffer b, long pos) throws IOException {
    long p = pos;
    while (b.hasRemaining()) {
      int n = channel.read(b, p);
      if (n < 0) {
        throw new IOException("unexpected end of ledger store at " + p);
      }
      p += n;
    }
  }

  private static int crc32c(byte[] data) {
    CRC32C c = new CRC32C();
    c.update(data);
    return (int) c.getValue();
  }
}
