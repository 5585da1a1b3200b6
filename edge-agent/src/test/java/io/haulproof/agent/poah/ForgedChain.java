package io.haulproof.agent.poah;

import io.haulproof.agent.demo.DemoWitness;
import io.haulproof.agent.provision.Certificates;
import io.haulproof.agent.provision.FleetCa;
import io.haulproof.authenticator.node.CompactRange;
import io.haulproof.authenticator.wire.PoahWire;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.poah.LocalProposer;
import io.haulproof.lightchain.testing.TestEntries;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A truck's chain built by the test itself, with an enrolled device key, so the test can propose
 * valid blocks and then forged ones (another key, an entry altered after signing, a wrong root, an
 * old block again, two headers at one height).
 */
final class ForgedChain {
  final String device;
  final DeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
  final Bytes certificate;
  final List<Bytes> entries = new ArrayList<>();
  final List<Block> blocks = new ArrayList<>();
  final List<PoahWire.Proposal> proposals = new ArrayList<>();
  long time = System.currentTimeMillis();

  ForgedChain(FleetCa ca, String device) throws Exception {
    this.device = device;
    this.certificate = Certificates.der(DemoWitness.certify(ca, key, device));
  }

  /** The next valid block over {@code n} new entries, as a proposal. */
  PoahWire.Proposal next(int n) {
    List<Bytes> mine = newEntries(n);
    return record(block(key, mine, range().root()), mine);
  }

  List<Bytes> newEntries(int n) {
    List<Bytes> mine = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Bytes e = TestEntries.signed(key, device, 1, entries.size() + 1);
      entries.add(e);
      mine.add(e);
    }
    return mine;
  }

  PoahWire.Proposal record(Block b, List<Bytes> mine) {
    blocks.add(b);
    PoahWire.Proposal p =
        new PoahWire.Proposal(b, mine, b.header().height() == 0 ? List.of(certificate) : List.of());
    proposals.add(p);
    return p;
  }

  /** A block after the current last one over the newest {@code mine}, signed by {@code signer}. */
  Block block(DeviceKey signer, List<Bytes> mine, Hash root) {
    time += 10;
    Optional<Block> parent =
        blocks.isEmpty() ? Optional.empty() : Optional.of(blocks.get(blocks.size() - 1));
    return new LocalProposer(signer)
        .propose(parent, entries.size() - mine.size(), mine.size(), root, time);
  }

  /**
   * The entry with one character of its signed payload changed (the config body's "v<seq>" text),
   * still well-formed CBOR, so only its signature can tell.
   */
  static Bytes alterPayload(Bytes entry) {
    byte[] b = entry.toByteArray();
    for (int i = b.length - 66; i > 0; i--) {
      if (b[i] == 'v' && b[i + 1] >= '0' && b[i + 1] <= '9') {
        b[i + 1] = (byte) (b[i + 1] == '9' ? '8' : b[i + 1] + 1);
        return Bytes.wrap(b);
      }
    }
    throw new IllegalArgumentException("no config text to alter");
  }

  CompactRange range() {
    return CompactRange.empty().append(entries);
  }
}
