package io.haulproof.lightchain.merkle;

import io.haulproof.lightchain.bytes.Hash;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * An append-only RFC 9162 Merkle tree over leaf hashes, with every complete subtree hash stored.
 *
 * <p>Appending a leaf costs O(1) amortized and O(log n) at worst (one hash per completed subtree);
 * roots, inclusion proofs and consistency proofs at any size up to {@link #size()} cost O(log n)
 * node reads ({@link ProofBuilder}). One writer may append while any number of readers build
 * proofs.
 *
 * <p>Crash safety of the file-backed tree: the tree is derived data. {@link #checkpoint()} makes
 * the nodes durable and then records the size and root in {@code tree.head}. {@link #open} cuts the
 * files back to that head and checks that the root recomputed from the stored nodes equals the
 * recorded one; if the head is missing or the check fails, it starts empty ({@link #rebuilt()}).
 * The owner then re-appends the leaves it has beyond {@link #size()} from the log, and calls {@link
 * #truncate} first if the tree is ahead of the log or disagrees with it. The open-time check reads
 * O(log n) nodes, so bit rot deep inside a level file is not caught there; whole-chain verification
 * recomputes the root from the entries and catches it.
 */
public final class MerkleTree implements NodeReader, Closeable {
  private final NodeStorage storage;
  private final Path dir;
  private final ProofBuilder proofs = new ProofBuilder(this);
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

  /** The last hash appended at each level: the left sibling an odd append needs. */
  private final byte[][] frontier = new byte[64][];

  private final boolean rebuilt;
  private long size;

  private MerkleTree(NodeStorage storage, Path dir, boolean rebuilt) throws IOException {
    this.storage = storage;
    this.dir = dir;
    this.rebuilt = rebuilt;
    this.size = storage.count(0);
    loadFrontier();
  }

  /** A tree held in memory only. */
  public static MerkleTree inMemory() {
    try {
      return new MerkleTree(new MemoryNodeStorage(), null, false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The size recorded in {@code dir/tree.head} by the last durable tree checkpoint, read without
   * opening (or changing) the tree; empty if there is no readable head. Verifiers compare it with
   * the log: committed entries never leave the tree, so a larger head reveals entries deleted from
   * the log.
   */
  public static java.util.Optional<Long> recordedSize(Path dir) throws IOException {
    return TreeHead.read(dir).map(TreeHead::size);
  }

  /**
   * Opens or creates the file-backed tree in {@code dir}, cut back to its last {@link
   * #checkpoint()}, or empty if that checkpoint is missing or does not match the stored nodes.
   */
  public static MerkleTree open(Path dir) throws IOException {
    FileNodeStorage storage = FileNodeStorage.open(dir);
    try {
      TreeHead head = TreeHead.read(dir).orElse(null);
      boolean ok = head != null && fits(storage, head.size());
      if (ok) {
        storage.truncate(countsFor(head.size()));
        MerkleTree t = new MerkleTree(storage, dir, false);
        if (t.root(head.size()).equals(head.root())) {
          return t;
        }
      }
      storage.truncate(new long[0]);
      return new MerkleTree(storage, dir, head != null);
    } catch (IOException | RuntimeException e) {
      storage.close();
      throw e;
    }
  }

  private static boolean fits(NodeStorage storage, long size) {
    for (int l = 0; l < 63 && (size >>> l) > 0; l++) {
      if (storage.count(l) < (size >>> l)) {
        return false;
      }
    }
    return true;
  }

  private static long[] countsFor(long size) {
    long[] c = new long[64];
    for (int l = 0; l < 63; l++) {
      c[l] = size >>> l;
    }
    return c;
  }

  private void loadFrontier() throws IOException {
    for (int l = 0; l < 63; l++) {
      long c = storage.count(l);
      frontier[l] = c == 0 ? null : storage.read(l, c - 1);
    }
  }

  /**
   * True if {@link #open} found a checkpoint that did not match the stored nodes and started empty.
   */
  public boolean rebuilt() {
    return rebuilt;
  }

  @Override
  public long size() {
    lock.readLock().lock();
    try {
      return size;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Appends a leaf hash and returns its index. */
  public long append(Hash leafHash) {
    lock.writeLock().lock();
    try {
      long index = size;
      byte[] h = leafHash.toByteArray();
      long i = index;
      int level = 0;
      while (true) {
        byte[] left = frontier[level];
        storage.append(level, h);
        frontier[level] = h;
        if ((i & 1) == 0) {
          break;
        }
        h = Rfc9162.nodeHash(left, h);
        level++;
        i >>>= 1;
      }
      size = index + 1;
      return index;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public Hash node(int level, long index) {
    lock.readLock().lock();
    try {
      if (level < 0 || level > 62 || index < 0 || ((index + 1) << level) > size) {
        throw new IllegalArgumentException(
            "node (" + level + ", " + index + ") beyond size " + size);
      }
      return Hash.wrap(storage.read(level, index));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The leaf hash at {@code index}; {@code 0 <= index < size()}. */
  public Hash leafHash(long index) {
    return node(0, index);
  }

  /** The current root. */
  public Hash root() {
    lock.readLock().lock();
    try {
      return proofs.root(size);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The root at a past size; {@code 0 <= size <= size()}. */
  public Hash root(long size) {
    lock.readLock().lock();
    try {
      return proofs.root(size);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The RFC 9162 audit path of leaf {@code index} in the tree of {@code size} leaves; see {@link
   * ProofBuilder}.
   */
  public List<Hash> inclusionProof(long index, long size) {
    lock.readLock().lock();
    try {
      return proofs.inclusion(index, size);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The RFC 9162 consistency proof from {@code size1} to {@code size2}; see {@link ProofBuilder}.
   */
  public List<Hash> consistencyProof(long size1, long size2) {
    lock.readLock().lock();
    try {
      return proofs.consistency(size1, size2);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Cuts the tree back to its first {@code newSize} leaves; {@code 0 <= newSize <= size()}. */
  public void truncate(long newSize) throws IOException {
    lock.writeLock().lock();
    try {
      if (newSize < 0 || newSize > size) {
        throw new IllegalArgumentException(
            "new size " + newSize + " out of range [0, " + size + "]");
      }
      storage.truncate(countsFor(newSize));
      size = newSize;
      loadFrontier();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /**
   * Makes the nodes durable and records the current size and root as the point {@link #open}
   * returns to.
   */
  public void checkpoint() throws IOException {
    lock.writeLock().lock();
    try {
      storage.sync();
      if (dir != null) {
        new TreeHead(size, proofs.root(size)).write(dir);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public void close() throws IOException {
    lock.writeLock().lock();
    try {
      storage.close();
    } finally {
      lock.writeLock().unlock();
    }
  }
}
