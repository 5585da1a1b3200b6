package io.haulproof.lightchain.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.checkpoint.CheckpointSigner;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.entry.KeyAction;
import io.haulproof.lightchain.testing.TestEntries;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ChainVerifierTest {
  private static final String ORIGIN = TestChain.ORIGIN;
  private final DeviceKey key = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
  private final DeviceKey intruder = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);

  private TestChain chain(int n) {
    return TestChain.of(key, n);
  }

  @Test
  void verify_goodChainAcrossChunks_isValidWithRootAndProgress() throws IOException {
    // given more entries than one chunk
    TestChain c = chain(3 * 64 + 37).seal(50);
    AtomicLong progress = new AtomicLong();
    // when
    VerificationResult r =
        new ChainVerifier(List.of(key.publicKey()), 2, 64)
            .onProgress(progress::set)
            .verify(c, c.blocks, c.checkpoint);
    // then
    assertThat(r.reason()).isEmpty();
    assertThat(r.valid()).isTrue();
    assertThat(r.entries()).isEqualTo(3 * 64 + 37);
    assertThat(r.blocks()).isEqualTo(c.blocks.size());
    assertThat(r.root()).isEqualTo(c.rootAt(c.size()));
    assertThat(r.unblockedEntries()).isZero();
    assertThat(progress.get()).isEqualTo(c.size());
  }

  @Test
  void verify_emptyChain_isValidWithEmptyRoot() throws IOException {
    VerificationResult r = new TestChain(key).verify();
    assertThat(r.valid()).isTrue();
    assertThat(r.root()).isEqualTo(Hash.sha256(new byte[0]));
  }

  @Test
  void verify_entryResignedByOtherKey_invalidNamingIndex() throws IOException {
    TestChain c = chain(50).seal(10);
    c.entries.set(17, TestEntries.signed(intruder, "truck-1", 1, 18));
    VerificationResult r = c.verify();
    assertThat(r.valid()).isFalse();
    assertThat(r.reason().orElseThrow()).contains("entry 17 signed by unregistered key");
  }

  @Test
  void verify_flippedSignatureByte_invalid() throws IOException {
    TestChain c = chain(50).seal(10);
    byte[] e = c.entries.get(33).toByteArray();
    e[e.length - 5] ^= 0x10;
    c.entries.set(33, Bytes.wrap(e));
    VerificationResult r = c.verify();
    assertThat(r.reason().orElseThrow()).contains("entry 33 signature").contains("does not verify");
  }

  @Test
  void verify_gapInSequence_invalid() throws IOException {
    TestChain c = chain(20);
    c.entries.remove(9);
    c.seal(5);
    assertThat(c.verify().reason().orElseThrow())
        .contains("entry 9")
        .contains("gap in seq: seq 11, want 10");
  }

  @Test
  void verify_blockRemoved_invalidLinkage() throws IOException {
    TestChain c = chain(30).seal(10);
    c.blocks.remove(1);
    assertThat(c.verify().reason().orElseThrow()).startsWith("block 1: height");
  }

  @Test
  void verify_lastBlockRemoved_checkpointBeyondBlocks() throws IOException {
    TestChain c = chain(30).seal(10);
    c.blocks.remove(2);
    assertThat(c.verify().reason().orElseThrow()).contains("beyond the last block's 20");
  }

  @Test
  void verify_blockWithoutAuthentication_quorumNotMet() throws IOException {
    TestChain c = chain(10).seal(10);
    Block b = c.blocks.get(0);
    c.blocks.set(0, new Block(b.headerBytes(), b.header(), b.proposerSignature(), List.of()));
    assertThat(c.verify().reason().orElseThrow()).contains("quorum not met");
  }

  @Test
  void verify_checkpointWithWrongRoot_invalid() throws IOException {
    TestChain c = chain(10).seal(5);
    c.checkpoint =
        Optional.of(new CheckpointSigner(key).sign(new Checkpoint(ORIGIN, 10, c.rootAt(9))));
    assertThat(c.verify().reason().orElseThrow()).contains("checkpoint: wrong root");
  }

  @Test
  void verify_checkpointByIntruder_invalid() throws IOException {
    TestChain c = chain(10).seal(5);
    c.checkpoint =
        Optional.of(new CheckpointSigner(intruder).sign(new Checkpoint(ORIGIN, 10, c.rootAt(10))));
    assertThat(c.verify().reason().orElseThrow())
        .contains("checkpoint: not signed by a registered key");
  }

  @Test
  void verify_rotatedKey_acceptsEntriesOfNewKeyAndRejectsRevokedOld() throws IOException {
    // given a rotation at seq 3 and a revocation of the old key at seq 5
    DeviceKey next = SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
    TestChain c = new TestChain(key);
    c.entries.add(TestEntries.signed(key, "truck-1", 1, 1));
    c.entries.add(TestEntries.signed(key, "truck-1", 1, 2));
    c.entries.add(
        TestEntries.signed(
            key,
            "truck-1",
            1,
            3,
            TestEntries.keyBody(KeyAction.ROTATE, next, Optional.of(key.kid()))));
    c.entries.add(TestEntries.signed(next, "truck-1", 1, 4));
    c.entries.add(
        TestEntries.signed(
            next, "truck-1", 1, 5, TestEntries.keyBody(KeyAction.REVOKE, key, Optional.empty())));
    // when / then
    assertThat(
            new ChainVerifier(List.of(key.publicKey()))
                .verify(c, List.of(), Optional.empty())
                .valid())
        .isTrue();
    c.entries.add(TestEntries.signed(key, "truck-1", 1, 6));
    assertThat(
            new ChainVerifier(List.of(key.publicKey()))
                .verify(c, List.of(), Optional.empty())
                .reason()
                .orElseThrow())
        .contains("entry 5 signed by revoked key");
  }

  @Test
  void verify_unblockedTail_isValidAndCounted() throws IOException {
    TestChain c = chain(10).seal(4);
    c.entries.add(TestEntries.signed(key, "truck-1", 1, 11));
    VerificationResult r = c.verify();
    assertThat(r.valid()).isTrue();
    assertThat(r.unblockedEntries()).isEqualTo(1);
  }
}
