package io.haulproof.lightchain.log;

import io.haulproof.lightchain.entry.EntryBody;
import io.haulproof.lightchain.entry.LossBody;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * The damage an open found, stated in signed {@code loss} entries before any other append: one per
 * damage report of the record log, and one for a tail the Merkle tree held beyond the log.
 *
 * @param entries the loss entries, in log order
 * @param summaries one line per entry (what was lost, where, the entry's index) for the operator
 */
record OpenLosses(List<Appended> entries, List<String> summaries) {
  private static final System.Logger LOSS_LOG = System.getLogger(EvidenceLog.class.getName());

  OpenLosses {
    entries = List.copyOf(entries);
    summaries = List.copyOf(summaries);
  }

  static OpenLosses none() {
    return new OpenLosses(List.of(), List.of());
  }

  /**
   * Appends the loss entries through {@code append} and waits until each is durable; a damage
   * report is acknowledged to {@code records} only after its entry is.
   *
   * @param ahead leaves the Merkle tree held beyond the record log (0 for none)
   */
  static OpenLosses append(
      Path dataDir,
      SegmentedLog records,
      long ahead,
      Function<EntryBody, CompletableFuture<Appended>> append)
      throws IOException {
    List<CompletableFuture<Appended>> fs = new ArrayList<>();
    List<LossBody> bodies = new ArrayList<>();
    List<LossReport> reports = records.losses();
    for (LossReport r : reports) {
      bodies.add(LossEntries.body(dataDir, records, r));
    }
    if (ahead > 0) {
      bodies.add(LossEntries.vanishedTail(records.size(), ahead));
    }
    for (LossBody b : bodies) {
      fs.add(append.apply(b));
    }
    List<Appended> entries = new ArrayList<>();
    List<String> summaries = new ArrayList<>();
    try {
      for (int i = 0; i < fs.size(); i++) {
        Appended a = fs.get(i).get();
        entries.add(a);
        summaries.add(bodies.get(i).summary() + "; signed loss entry at index " + a.index());
        LOSS_LOG.log(
            System.Logger.Level.ERROR,
            "evidence lost: {0}; signed loss entry at index {1}",
            bodies.get(i).summary(),
            a.index());
        if (i < reports.size()) {
          records.acknowledgeLoss(reports.get(i));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while logging loss entries", e);
    } catch (ExecutionException e) {
      throw new IOException("cannot log loss entry: " + e.getCause().getMessage(), e.getCause());
    }
    return new OpenLosses(entries, summaries);
  }
}
