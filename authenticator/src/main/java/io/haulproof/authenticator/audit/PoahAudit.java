package io.haulproof.authenticator.audit;

import io.haulproof.authenticator.ConfigHistory;
import io.haulproof.authenticator.truck.AuthenticationLog;
import io.haulproof.authenticator.truck.FinalityTracker;
import io.haulproof.authenticator.wire.PoahWire;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.bytes.Bytes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The PoAh part of {@code chain verify}: which set and quorum governed each block (from the chain's
 * own {@code config} entries), and which blocks are final, replaying the stored authentications
 * exactly as the truck counted them ({@link FinalityTracker}).
 *
 * <p>Single-node blocks (before any PoAh configuration) are final by the device's own
 * authentication, which the chain verifier checks; they count as one signature.
 */
public final class PoahAudit {
  /**
   * Reads entry {@code index} of the chain; {@code null} for an entry lost to damage, which the
   * audit skips (the chain verifier has checked that a signed loss entry names it; a PoAh {@code
   * config} entry lost that way cannot be replayed, and the blocks after it are judged by the
   * configuration before it).
   */
  @FunctionalInterface
  public interface Entries {
    Bytes read(long index) throws IOException;
  }

  /**
   * @param minQuorum the fewest valid, distinct, trusted signatures on any final block (0 if none)
   * @param pending sealed blocks not final
   * @param finalBlocks final blocks
   * @param multiNode blocks governed by a PoAh configuration
   */
  public record Result(int minQuorum, long pending, long finalBlocks, long multiNode) {}

  private PoahAudit() {}

  /**
   * Audits {@code blocks} of the chain in {@code dataDir}; entries must already be verified.
   *
   * @throws IOException if an entry or the authentication record cannot be read
   */
  public static Result audit(Path dataDir, List<Block> blocks, Entries entries) throws IOException {
    ConfigHistory configs = new ConfigHistory();
    long end = blocks.isEmpty() ? 0 : blocks.get(blocks.size() - 1).header().treeSize();
    for (long i = 0; i < end; i++) {
      Bytes entry = entries.read(i);
      if (entry != null) {
        configs.observe(i, entry);
      }
    }
    FinalityTracker tracker =
        new FinalityTracker(
            configs,
            h -> h >= 0 && h < blocks.size() ? Optional.of(blocks.get((int) h)) : Optional.empty());
    for (PoahWire.Authentication a : AuthenticationLog.readStrict(dataDir)) {
      tracker.add(a);
    }
    int min = Integer.MAX_VALUE;
    long pending = 0;
    long fin = 0;
    long multi = 0;
    for (int h = 0; h < blocks.size(); h++) {
      if (tracker.settingsFor(blocks.get(h)).isEmpty()) {
        fin++;
        min = Math.min(min, 1);
        continue;
      }
      multi++;
      if (tracker.isFinal(h)) {
        fin++;
        min = Math.min(min, tracker.count(h));
      } else {
        pending++;
      }
    }
    return new Result(fin == 0 ? 0 : min, pending, fin, multi);
  }
}
