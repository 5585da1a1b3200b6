package io.haulproof.authenticator.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.haulproof.lightchain.block.AuthenticatorSignature;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.block.BlockHeader;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cbor.CborMap;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.poah.LocalProposer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PoahCodecTest {
  private final SoftwareDeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
  private final Block block =
      new LocalProposer(key).propose(Optional.empty(), 0, 2, Hash.sha256(Bytes.of((byte) 1)), 5);

  @Test
  void decode_everyMessageKind_roundTrips() {
    List<PoahWire> all =
        List.of(
            new PoahWire.Proposal(
                block,
                List.of(Bytes.of((byte) 1), Bytes.of((byte) 2)),
                List.of(Bytes.of((byte) 9))),
            new PoahWire.Authentication(
                block.headerBytes(), new AuthenticatorSignature(key.kid(), Bytes.of((byte) 3))),
            ReplySigning.rejection(key, "f", "c", 0, block.hash(), "root", "wrong tree_root"),
            ReplySigning.need(key, "f", "c", 7, 1_700_000_000_000L));
    for (PoahWire m : all) {
      PoahWire back = PoahCodec.decode(PoahCodec.encode(m));
      assertThat(PoahCodec.encode(back)).isEqualTo(PoahCodec.encode(m));
    }
  }

  @Test
  void decode_unknownKey_rejected() {
    Bytes wire =
        Cbor.encode(
            CborMap.builder()
                .put(0, 4)
                .put(1, key.kid().value())
                .put(2, 1)
                .put(3, 5)
                .put(4, Bytes.of((byte) 1))
                .put(9, 1)
                .build());
    assertThatThrownBy(() -> PoahCodec.decode(wire)).isInstanceOf(CborException.class);
  }

  @Test
  void decode_needWithoutTimeOrSignature_rejected() {
    // the unsigned need of before: {0: 4, 1: kid, 2: from height}
    Bytes old =
        Cbor.encode(CborMap.builder().put(0, 4).put(1, key.kid().value()).put(2, 0).build());
    Bytes noSig =
        Cbor.encode(
            CborMap.builder().put(0, 4).put(1, key.kid().value()).put(2, 0).put(3, 5).build());
    for (Bytes wire : List.of(old, noSig)) {
      assertThatThrownBy(() -> PoahCodec.decode(wire)).isInstanceOf(CborException.class);
    }
  }

  @Test
  void decode_rejectionWithoutSignature_rejected() {
    Bytes old =
        Cbor.encode(
            CborMap.builder()
                .put(0, 3)
                .put(1, 0)
                .put(2, block.hash().toBytes())
                .put(3, key.kid().value())
                .put(4, "root")
                .put(5, "wrong")
                .build());
    assertThatThrownBy(() -> PoahCodec.decode(old)).isInstanceOf(CborException.class);
  }

  @Test
  void decode_signatureEmptyOrOversized_rejected() {
    for (int size : List.of(0, PoahCodec.MAX_SIGNATURE + 1)) {
      Bytes wire =
          Cbor.encode(
              CborMap.builder()
                  .put(0, 4)
                  .put(1, key.kid().value())
                  .put(2, 0)
                  .put(3, 5)
                  .put(4, Bytes.wrap(new byte[size]))
                  .build());
      assertThatThrownBy(() -> PoahCodec.decode(wire))
          .as("signature of %d bytes", size)
          .isInstanceOf(CborException.class)
          .hasMessageContaining("signature of " + size + " bytes");
    }
  }

  @Test
  void decode_negativeTime_rejected() {
    Bytes wire =
        Cbor.encode(
            CborMap.builder()
                .put(0, 4)
                .put(1, key.kid().value())
                .put(2, 0)
                .put(3, -1)
                .put(4, Bytes.of((byte) 1))
                .build());
    assertThatThrownBy(() -> PoahCodec.decode(wire)).isInstanceOf(CborException.class);
  }

  @Test
  void proposal_entryCountNotHeaderCount_rejected() {
    assertThatThrownBy(() -> new PoahWire.Proposal(block, List.of(Bytes.of((byte) 1)), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("header says 2");
    assertThat(BlockHeader.GENESIS_PREV).isEqualTo(block.header().prevBlockHash());
  }
}
