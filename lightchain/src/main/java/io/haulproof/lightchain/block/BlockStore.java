package io.haulproof.lightchain.block;

import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The append-only file of sealed blocks, {@code DATA/blocks/blocks.dat}: one {@link RecordFile}
 * record per block in its {@link BlockCodec} form.
 *
 * <p>Signed blocks are evidence: {@link #append} returns only after the record is forced to disk; a
 * torn tail is truncated on open and damage in the middle is copied to {@code DATA/quarantine/} and
 * reported in {@link #recovery()}, never repaired in place. Blocks are derived from the log, so the
 * owner re-creates any it lost. Not thread-safe: one writer (the block builder's thread).
 */
public final class BlockStore implements AutoCloseable {
  static final byte[] MAGIC = "HPBLOCK1".getBytes(StandardCharsets.US_ASCII);

  private final RecordFile file;
  private final List<Block> blocks;

  private BlockStore(RecordFile file, List<Block> blocks) {
    this.file = file;
    this.blocks = blocks;
  }

  /** {@code DATA/blocks/blocks.dat}. */
  public static Path fileIn(Path dataDir) {
    return dataDir.resolve("blocks").resolve("blocks.dat");
  }

  /**
   * Opens or creates the block file of {@code dataDir}, recovering as {@link RecordFile} does.
   *
   * @throws IOException if the file cannot be read, or an intact record does not decode as a block
   */
  public static BlockStore open(Path dataDir) throws IOException {
    RecordFile f = RecordFile.open(fileIn(dataDir), MAGIC, dataDir.resolve("quarantine"));
    try {
      return new BlockStore(f, decodeAll(f.records()));
    } catch (IOException | RuntimeException e) {
      f.close();
      throw e;
    }
  }

  /**
   * Reads every block of {@code dataDir} without changing anything, for verifiers.
   *
   * @throws IOException on any damage, a torn tail included, or a record that does not decode
   */
  public static List<Block> readStrict(Path dataDir) throws IOException {
    Path f = fileIn(dataDir);
    if (!Files.exists(f)) {
      return List.of();
    }
    return decodeAll(RecordFile.readStrict(f, MAGIC));
  }

  private static List<Block> decodeAll(List<Bytes> records) throws IOException {
    List<Block> out = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      try {
        out.add(BlockCodec.decode(records.get(i)));
      } catch (CborException e) {
        throw new IOException("block record " + i + " does not decode: " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** Appends a block durably. */
  public void append(Block block) throws IOException {
    file.append(BlockCodec.encode(block));
    blocks.add(block);
  }

  /**
   * Keeps only the first {@code keep} blocks, after copying the file to {@code quarantine/};
   * returns the copy.
   */
  public Path cutBackTo(int keep, String why) throws IOException {
    Path copy = file.cutBackTo(keep, why);
    blocks.subList(keep, blocks.size()).clear();
    return copy;
  }

  public List<Block> blocks() {
    return List.copyOf(blocks);
  }

  public Optional<Block> last() {
    return blocks.isEmpty() ? Optional.empty() : Optional.of(blocks.get(blocks.size() - 1));
  }

  public int size() {
    return blocks.size();
  }

  public RecordFile.Recovery recovery() {
    return file.recovery();
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
