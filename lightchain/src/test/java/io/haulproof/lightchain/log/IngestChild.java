package io.haulproof.lightchain.log;

import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.FileKeyStore;
import io.haulproof.lightchain.entry.SampleEntries;
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
 * The child JVM of {@link EvidenceLogKillIT}: ingests until killed, printing the highest durable
 * seq on a line of its own to stdout after every group commit (what {@code bench ingest --acked}
 * does).
 *
 * <p>Arguments: dataDir.
 */
public final class IngestChild {
  /**
   * Small segments and frequent tree checkpoints, so kills land during rolls and checkpoints too.
   */
  static final LogOptions OPTIONS =
      LogOptions.defaults().withSegmentBytes(128 * 1024).withTreeCheckpointEvery(1500);

  private IngestChild() {}

  public static void main(String[] args) throws Exception {
    Path data = Path.of(args[0]);
    DeviceKey key = FileKeyStore.openOrCreate(data);
    EvidenceLog log = EvidenceLog.open(data, key, "torture-01", OPTIONS);
    // unbuffered: one write per acknowledgement, so a kill never leaves one half-sent
    OutputStream out = new FileOutputStream(FileDescriptor.out);
    log.addCommitListener(
        size -> {
          try {
            out.write((log.lastCommittedSeq() + "\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    List<Thread> producers = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      Thread th =
          new Thread(
              () -> {
                List<CompletableFuture<Appended>> pending = new ArrayList<>();
                while (true) {
                  pending.add(log.append(SampleEntries.collection()));
                  if (pending.size() >= 256) {
                    pending.forEach(CompletableFuture::join);
                    pending.clear();
                  }
                }
              });
      th.start();
      producers.add(th);
    }
    for (Thread th : producers) {
      th.join();
    }
  }
}
