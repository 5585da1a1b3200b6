package io.haulproof.authenticator.truck;

import io.haulproof.authenticator.wire.PoahCodec;
import io.haulproof.authenticator.wire.PoahWire;
import io.haulproof.lightchain.block.RecordFile;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.cbor.CborException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The truck's durable record of authentications, {@code DATA/blocks/authentications.dat}: every
 * authentication received for this chain, valid or not, exactly as received, in arrival order.
 * Blocks are sealed before they are authenticated, so authentications live beside them rather than
 * in them.
 *
 * <p>Evidence rules as for blocks ({@link RecordFile}): {@link #append} returns after {@code
 * force}; a torn tail is cut on open and damage quarantined, never repaired. Finality and trust
 * ({@link FinalityTracker}) are derived from this file and rebuilt from it.
 */
public final class AuthenticationLog implements AutoCloseable {
  static final byte[] MAGIC = "HPAUTHN1".getBytes(StandardCharsets.US_ASCII);

  private final RecordFile file;

  private AuthenticationLog(RecordFile file) {
    this.file = file;
  }

  public static Path fileIn(Path dataDir) {
    return dataDir.resolve("blocks").resolve("authentications.dat");
  }

  public static AuthenticationLog open(Path dataDir) throws IOException {
    Files.createDirectories(fileIn(dataDir).getParent());
    return new AuthenticationLog(
        RecordFile.open(fileIn(dataDir), MAGIC, dataDir.resolve("quarantine")));
  }

  /** Every stored authentication, in order, read without changing anything (for auditors). */
  public static List<PoahWire.Authentication> readStrict(Path dataDir) throws IOException {
    Path f = fileIn(dataDir);
    if (!Files.exists(f)) {
      return List.of();
    }
    return decodeAll(RecordFile.readStrict(f, MAGIC));
  }

  public List<PoahWire.Authentication> all() throws IOException {
    return decodeAll(file.records());
  }

  /** Stores one authentication durably. */
  public synchronized void append(PoahWire.Authentication a) throws IOException {
    file.append(PoahCodec.encode(a));
  }

  private static List<PoahWire.Authentication> decodeAll(List<Bytes> records) throws IOException {
    List<PoahWire.Authentication> out = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      try {
        if (PoahCodec.decode(records.get(i)) instanceof PoahWire.Authentication a) {
          out.add(a);
        } else {
          throw new IOException("authentication record " + i + " holds another message");
        }
      } catch (CborException e) {
        throw new IOException(
            "authentication record " + i + " does not decode: " + e.getMessage(), e);
      }
    }
    return out;
  }

  @Override
  public synchronized void close() throws IOException {
    file.close();
  }
}
