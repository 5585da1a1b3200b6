package io.haulproof.lightchain;

import io.haulproof.lightchain.block.BlockBuilder;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.entry.ReceiptBody;
import io.haulproof.lightchain.log.EvidenceLog;
import java.io.IOException;

/**
 * Lets witness receipts wait for the next block: a receipt alone must not close a block, or every
 * checkpoint would bring a receipt, a block and a new checkpoint for the witness to cosign, and an
 * idle truck would write forever. Runs on the block thread; remembers how far it has looked, so
 * each pending entry is decoded once.
 */
final class ReceiptsCanWait implements BlockBuilder.Deferral {
  private final EvidenceLog log;
  private long from = -1;
  private long checkedTo;

  ReceiptsCanWait(EvidenceLog log) {
    this.log = log;
  }

  @Override
  public boolean canWait(long firstIndex, long count) {
    if (firstIndex != from) {
      from = firstIndex;
      checkedTo = firstIndex;
    }
    for (long i = checkedTo; i < firstIndex + count; i++) {
      if (!isReceipt(i)) {
        return false;
      }
      checkedTo = i + 1;
    }
    return true;
  }

  private boolean isReceipt(long index) {
    try {
      return EntryCodec.decode(CoseSign1.decode(log.read(index))).body() instanceof ReceiptBody;
    } catch (IOException | RuntimeException e) {
      return false; // unreadable or lost: let the block close as usual
    }
  }
}
