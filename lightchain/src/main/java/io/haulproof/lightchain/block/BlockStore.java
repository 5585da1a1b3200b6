package io.haulproof.lightchain.block;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.index.DerivedStateStore;
import io.haulproof.lightchain.index.InMemoryStateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.List;
import java.util.Optional;

/**
 * The append-only file of sealed blocks, {@code DATA/blocks/blocks.dat}: one {@link RecordFile}
 * record per block in its {@link BlockCodec} form.
 *
 * <p>Signed blocks are evidence: {@link #append} returns only after the record is forced to disk; a
 * torn tail is truncated on open and damage in the middle is copied to {@code DATA/quarantine/} and
 * reported in {@link #recovery()}, never repaired in place. Blocks are derived from the log, so the
 * owner re-creates any it lost.
 *
 * <p>Memory: only the last block is held. Blocks are read from the file on demand through a derived
 * index of record offsets ({@link DerivedStateStore}, e.g. MapDB), which is rebuilt by scanning the
 * file whenever it does not match it; the index is only ever used to find bytes, which are then
 * CRC-checked and decoded as usual. One writer (the block builder's thread); reads from any thread.
 */
public final class BlockStore implements AutoCloseable {
  static final byte[] MAGIC = "HPBLOCK1".getBytes(StandardCharsets.US_ASCII);
  private static final String RESUME = "blocks.resume";
  private static final String OFFSET = "blocks.offset.";
  private static final int COMMIT_EVERY = 64;

  private final RecordFile file;
  private final DerivedStateStore index;
  private volatile Optional<Block> last;
  private int uncommitted;
  private volatile boolean stale;

  private BlockStore(RecordFile file, DerivedStateStore index, Optional<Block> last) {
    this.file = file;
    this.index = index;
    this.last = last;
  }

  /** {@code DATA/blocks/blocks.dat}. */
  public static Path fileIn(Path dataDir) {
    return dataDir.resolve("blocks").resolve("blocks.dat");
  }

  /** Opens the block file with an index in memory (rebuilt by a full scan). */
  public static BlockStore open(Path dataDir) throws IOException {
    return open(dataDir, new InMemoryStateStore());
  }

  /**
   * Opens or creates the block file of {@code dataDir}, recovering as {@link RecordFile} does,
   * scanning only past the point {@code index} had reached if the record there is intact. The store
   * keeps {@code index} up to date; the caller closes it.
   *
   * @throws IOException if the file cannot be read, or an intact record does not decode as a block
   */
  public static BlockStore open(Path dataDir, DerivedStateStore index) throws IOException {
    RecordFile.Resume from = index.get(RESUME).map(BlockStore::decodeResume).orElse(null);
    RecordFile f =
        RecordFile.open(
            fileIn(dataDir),
            MAGIC,
            dataDir.resolve("quarantine"),
            from,
            (n, o) -> index.putLong(OFFSET + n, o));
    try {
      BlockStore s = new BlockStore(f, index, Optional.empty());
      s.last = f.size() == 0 ? Optional.empty() : Optional.of(s.get(f.size() - 1));
      s.commitIndex();
      return s;
    } catch (IOException | RuntimeException e) {
      f.close();
      throw e;
    }
  }

  /**
   * Reads every block of {@code dataDir} without changing anything, for verifiers: the file is
   * checked once and each block is read again from it when asked for.
   *
   * @throws IOException on any damage, a torn tail included, or a record that does not decode
   */
  public static List<Block> readStrict(Path dataDir) throws IOException {
    Path f = fileIn(dataDir);
    if (!Files.exists(f)) {
      return List.of();
    }
    long[] offsets = RecordFile.strictOffsets(f, MAGIC);
    return new AbstractList<>() {
      @Override
      public Block get(int i) {
        try {
          return decode(i, RecordFile.readAt(f, offsets[i]));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public int size() {
        return offsets.length;
      }
    };
  }

  private static Block decode(long i, Bytes record) throws IOException {
    try {
      return BlockCodec.decode(record);
    } catch (CborException e) {
      throw new IOException("block record " + i + " does not decode: " + e.getMessage(), e);
    }
  }

  /** Appends a block durably. */
  public void append(Block block) throws IOException {
    long at = file.append(BlockCodec.encode(block));
    index.putLong(OFFSET + (file.size() - 1), at);
    last = Optional.of(block);
    if (++uncommitted >= COMMIT_EVERY) {
      commitIndex();
    }
  }

  /** Block {@code height} (0-based position in the file), read from disk. */
  public Block get(long height) throws IOException {
    long n = file.size();
    if (height < 0 || height >= n) {
      throw new IndexOutOfBoundsException("block " + height + " of " + n);
    }
    long at = index.getLong(OFFSET + height, -1);
    if (at < 0) {
      throw new IOException("no offset for block " + height + " in the block index");
    }
    try {
      return decode(height, file.read(at));
    } catch (IOException e) {
      // Damage, or an index that no longer fits the file: the next open scans the whole file
      // (quarantining damage and re-creating blocks) instead of trusting the index.
      synchronized (this) {
        stale = true;
        index.remove(RESUME);
        index.commit();
      }
      throw e;
    }
  }

  /**
   * Keeps only the first {@code keep} blocks, after copying the file to {@code quarantine/};
   * returns the copy.
   */
  public Path cutBackTo(int keep, String why) throws IOException {
    long at = keep == file.size() ? file.end() : index.getLong(OFFSET + keep, -1);
    Path copy = at < 0 ? file.cutBackTo(keep, why) : file.cutBackTo(keep, at, why);
    last = keep == 0 ? Optional.empty() : Optional.of(get(keep - 1));
    commitIndex();
    return copy;
  }

  /**
   * The sealed blocks, oldest first, as a view read from disk on each {@code get}; its size is the
   * count when this was called.
   */
  public List<Block> blocks() {
    int n = (int) file.size();
    return new AbstractList<>() {
      @Override
      public Block get(int i) {
        if (i < 0 || i >= n) {
          throw new IndexOutOfBoundsException("block " + i + " of " + n);
        }
        try {
          return BlockStore.this.get(i);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }

      @Override
      public int size() {
        return n;
      }
    };
  }

  public Optional<Block> last() {
    return last;
  }

  public int size() {
    return (int) file.size();
  }

  public RecordFile.Recovery recovery() {
    return file.recovery();
  }

  /** Whether open trusted the index and scanned only the blocks after it. */
  public boolean resumedFromIndex() {
    return file.resumed();
  }

  private void commitIndex() throws IOException {
    if (stale) {
      return;
    }
    index.put(RESUME, encodeResume(file.resumePoint()));
    index.commit();
    uncommitted = 0;
  }

  private static Bytes encodeResume(RecordFile.Resume r) {
    return Bytes.wrap(
        ByteBuffer.allocate(28)
            .putLong(r.records())
            .putLong(r.end())
            .putLong(r.lastOffset())
            .putInt(r.lastCrc())
            .array());
  }

  private static RecordFile.Resume decodeResume(Bytes b) {
    if (b.length() != 28) {
      return null;
    }
    ByteBuffer bb = ByteBuffer.wrap(b.toByteArray());
    return new RecordFile.Resume(bb.getLong(), bb.getLong(), bb.getLong(), bb.getInt());
  }

  @Override
  public void close() throws IOException {
    try {
      commitIndex();
    } finally {
      file.close();
    }
  }
}
