package io.haulproof.lightchain;

import io.haulproof.lightchain.block.BlockCodec;
import io.haulproof.lightchain.block.RecordFile;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborArray;
import io.haulproof.lightchain.cbor.CborBytes;
import io.haulproof.lightchain.poah.LocalAuthenticator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Recording equivocation: both conflicting blocks, forced to {@code blocks/equivocations.dat}
 * (evidence, never derived state).
 */
final class EquivocationRecord {
  private static final byte[] EQUIVOCATION_MAGIC = "HPEQUIV1".getBytes(StandardCharsets.US_ASCII);

  private EquivocationRecord() {}

  /** Appends the evidence of {@code e}, durably. */
  static void record(Path dataDir, LocalAuthenticator.Equivocation e) {
    try (RecordFile f =
        RecordFile.open(
            DataDirLayout.equivocations(dataDir),
            EQUIVOCATION_MAGIC,
            DataDirLayout.quarantine(dataDir))) {
      f.append(
          Cbor.encode(
              CborArray.of(
                  new CborBytes(BlockCodec.encode(e.first())),
                  new CborBytes(BlockCodec.encode(e.second())))));
    } catch (IOException ex) {
      throw new UncheckedIOException("could not record equivocation evidence", ex);
    }
  }
}
