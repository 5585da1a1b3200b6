package io.haulproof.lightchain;

import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.entry.SampleEntries;
import io.haulproof.lightchain.log.Appended;
import io.haulproof.lightchain.log.LogOptions;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The child JVM of {@link LightchainPowerCutIT}: creates its key on first start, then appends
 * entries through {@link Lightchain} until killed, with small segments, small blocks (so a
 * checkpoint is signed and stored every few entries) and frequent tree heads, so that cuts land in
 * segment roll-overs, block sealing and checkpoint writes too. After every group commit it prints
 * the highest durable seq on a line of its own to stdout (a pipe to the test, off the LazyFS
 * mount).
 *
 * <p>Arguments: dataDir.
 */
public final class PowerCutWriter {
  static final String DEVICE = "truck-cut";
  static final LightchainOptions OPTIONS =
      LightchainOptions.defaults("haulproof.io/v1/fleet/" + DEVICE)
          .withBlocks(16, 20)
          .withLog(LogOptions.defaults().withSegmentBytes(32 * 1024).withTreeCheckpointEvery(200));

  private PowerCutWriter() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    DeviceKey key = FileKeyStore.openOrCreate(data);
    Lightchain chain = Lightchain.open(data, key, DEVICE, OPTIONS);
    // unbuffered: one write per acknowledgement, so a kill never leaves one half-sent
    OutputStream out = new FileOutputStream(FileDescriptor.out);
    chain
        .log()
        .addCommitListener(
            size -> {
              try {
                out.write(
                    (chain.log().lastCommittedSeq() + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    List<CompletableFuture<Appended>> pending = new ArrayList<>();
    while (true) {
      pending.add(chain.append(SampleEntries.collection()));
      if (pending.size() >= 32) {
        pending.forEach(CompletableFuture::join);
        pending.clear();
      }
    }
  }
}
