package io.haulproof.authenticator.node;

import io.haulproof.authenticator.wire.PoahWire;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.PublicKeys;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.poah.LocalProposer;
import io.haulproof.lightchain.testing.TestEntries;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A truck's chain built in memory: signed entries and proposer-signed blocks over them. */
final class TestChain {
  static final String DEVICE = "truck-t";
  final DeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
  final List<Bytes> entries = new ArrayList<>();
  final List<Block> blocks = new ArrayList<>();
  long time = 1_700_000_000_000L;

  ChainState genesis() {
    return ChainState.genesis(DEVICE, PublicKeys.spki(key.publicKey()));
  }

  /** Appends {@code n} entries and the block over them; returns its proposal. */
  PoahWire.Proposal next(int n) {
    List<Bytes> mine = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Bytes e = TestEntries.signed(key, DEVICE, 1, entries.size() + 1);
      entries.add(e);
      mine.add(e);
    }
    Block b = block(mine, range().root());
    blocks.add(b);
    return new PoahWire.Proposal(b, mine, List.of());
  }

  /** A block over {@code mine} (the last entries) with root {@code root}, signed by the key. */
  Block block(List<Bytes> mine, Hash root) {
    time += 1000;
    Optional<Block> parent =
        blocks.isEmpty() ? Optional.empty() : Optional.of(blocks.get(blocks.size() - 1));
    return new LocalProposer(key)
        .propose(parent, entries.size() - mine.size(), mine.size(), root, time);
  }

  CompactRange range() {
    return CompactRange.empty().append(entries);
  }
}
