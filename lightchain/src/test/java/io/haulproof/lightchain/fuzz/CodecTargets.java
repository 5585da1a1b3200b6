package io.haulproof.lightchain.fuzz;

import io.haulproof.lightchain.block.AuthenticatorSignature;
import io.haulproof.lightchain.block.Block;
import io.haulproof.lightchain.block.BlockCodec;
import io.haulproof.lightchain.block.BlockHeader;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.bytes.Hash;
import io.haulproof.lightchain.cbor.Cbor;
import io.haulproof.lightchain.cbor.CborException;
import io.haulproof.lightchain.cbor.CborValue;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.checkpoint.CheckpointSigner;
import io.haulproof.lightchain.checkpoint.NoteFormatException;
import io.haulproof.lightchain.checkpoint.SignedNote;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.CoseAlgorithm;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.crypto.SoftwareDeviceKey;
import io.haulproof.lightchain.crypto.VerificationException;
import io.haulproof.lightchain.entry.Entry;
import io.haulproof.lightchain.entry.EntryCodec;
import io.haulproof.lightchain.entry.KeyAction;
import io.haulproof.lightchain.poah.PoahMessage;
import io.haulproof.lightchain.poah.PoahMessageCodec;
import io.haulproof.lightchain.testing.TestEntries;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Fuzz targets for the byte formats the device and the ledger receive: strict CBOR, COSE_Sign1,
 * entry payloads, blocks, PoAh messages and signed checkpoint notes. Each accepted input must
 * re-encode to exactly the received bytes (so two encodings of one value can never both be
 * accepted), a signature must never verify under a key that did not make it, and no decoder may
 * allocate far beyond the input's size.
 */
final class CodecTargets {
  /** Decoders may allocate this much per input byte (one small object per byte at worst). */
  static final long PER_BYTE = 96;

  /** Plus this much for any input (class data, buffers, exception messages). */
  static final long FIXED = 256 * 1024;

  private static final SignatureVerifier STRANGER = strangerVerifier();

  private CodecTargets() {}

  static List<FuzzTarget> all() {
    return List.of(
        new FuzzTarget("CborDecode", CodecTargets::cbor, CodecTargets::cborSeeds),
        new FuzzTarget("CoseSign1Decode", CodecTargets::cose, CodecTargets::signedEntries),
        new FuzzTarget("EntryDecode", CodecTargets::entry, CodecTargets::entryPayloads),
        new FuzzTarget("BlockDecode", CodecTargets::block, CodecTargets::blocks),
        new FuzzTarget("PoahMessageDecode", CodecTargets::poah, CodecTargets::poahMessages),
        new FuzzTarget("CheckpointNoteParse", CodecTargets::note, CodecTargets::notes));
  }

  static void cbor(byte[] data) throws Exception {
    Allocation.atMost(FIXED, PER_BYTE, data.length, () -> cborOnce(data));
  }

  private static void cborOnce(byte[] data) {
    CborValue v;
    try {
      v = Cbor.decode(Bytes.wrap(data));
    } catch (CborException e) {
      return;
    }
    if (!Cbor.encode(v).equals(Bytes.wrap(data))) {
      throw new AssertionError("accepted non-canonical CBOR " + Bytes.wrap(data));
    }
  }

  static void cose(byte[] data) throws Exception {
    Allocation.atMost(FIXED, PER_BYTE, data.length, () -> coseOnce(data));
  }

  private static void coseOnce(byte[] data) {
    CoseSign1 msg;
    try {
      msg = CoseSign1.decode(Bytes.wrap(data));
    } catch (CborException e) {
      return;
    }
    if (!msg.encoded().equals(Bytes.wrap(data))) {
      throw new AssertionError("encoded() differs from the received bytes");
    }
    try {
      msg.verify(STRANGER);
    } catch (VerificationException e) {
      return;
    }
    throw new AssertionError("verified with a key that never signed: " + Bytes.wrap(data));
  }

  static void entry(byte[] data) throws Exception {
    Allocation.atMost(FIXED, PER_BYTE, data.length, () -> entryOnce(data));
  }

  private static void entryOnce(byte[] data) {
    Entry e;
    try {
      e = EntryCodec.decode(Bytes.wrap(data));
    } catch (CborException ex) {
      return;
    }
    if (!EntryCodec.encode(e).equals(Bytes.wrap(data))) {
      throw new AssertionError("entry does not re-encode to itself: " + Bytes.wrap(data));
    }
  }

  static void block(byte[] data) throws Exception {
    Allocation.atMost(FIXED, PER_BYTE, data.length, () -> blockOnce(data));
  }

  private static void blockOnce(byte[] data) {
    Block b;
    try {
      b = BlockCodec.decode(Bytes.wrap(data));
    } catch (CborException e) {
      return;
    }
    if (!BlockCodec.encode(b).equals(Bytes.wrap(data))) {
      throw new AssertionError("block does not re-encode to itself: " + Bytes.wrap(data));
    }
    if (!BlockCodec.encodeHeader(b.header()).equals(b.headerBytes())) {
      throw new AssertionError("header bytes and decoded header differ: " + Bytes.wrap(data));
    }
  }

  static void poah(byte[] data) throws Exception {
    Allocation.atMost(FIXED, PER_BYTE, data.length, () -> poahOnce(data));
  }

  private static void poahOnce(byte[] data) {
    PoahMessage m;
    try {
      m = PoahMessageCodec.decode(Bytes.wrap(data));
    } catch (CborException e) {
      return;
    }
    if (!PoahMessageCodec.encode(m).equals(Bytes.wrap(data))) {
      throw new AssertionError("PoAh message does not re-encode to itself: " + Bytes.wrap(data));
    }
  }

  static void note(byte[] data) throws Exception {
    Allocation.atMost(FIXED, PER_BYTE, data.length, () -> noteOnce(data));
  }

  private static void noteOnce(byte[] data) {
    SignedNote n;
    try {
      n = SignedNote.parse(data);
    } catch (NoteFormatException e) {
      return;
    }
    if (!java.util.Arrays.equals(n.encodeUtf8(), data)) {
      throw new AssertionError(
          "note does not re-encode to itself: " + new String(data, StandardCharsets.UTF_8));
    }
    try {
      Checkpoint c = Checkpoint.parse(n.text());
      if (!c.toText().equals(n.text())) {
        throw new AssertionError("checkpoint text does not re-encode to itself: " + n.text());
      }
    } catch (NoteFormatException e) {
      // a note that is not a checkpoint
    }
  }

  // ---- seeds

  static DeviceKey seedKey() {
    return SoftwareDeviceKey.generate(CoseAlgorithm.ES256);
  }

  static List<byte[]> signedEntries() {
    DeviceKey key = seedKey();
    return List.of(
        TestEntries.signed(key, "truck-1", 1, 1).toByteArray(),
        TestEntries.signed(
                key,
                "truck-1",
                1,
                2,
                TestEntries.keyBody(KeyAction.ROTATE, seedKey(), Optional.of(key.kid())))
            .toByteArray());
  }

  static List<byte[]> entryPayloads() {
    List<byte[]> out = new ArrayList<>();
    for (byte[] cose : signedEntries()) {
      out.add(CoseSign1.decode(Bytes.wrap(cose)).payload().toByteArray());
    }
    return out;
  }

  static Block sampleBlock(DeviceKey key, long height, long first, long count) {
    BlockHeader h =
        new BlockHeader(
            height,
            height == 0 ? BlockHeader.GENESIS_PREV : Hash.sha256(new byte[] {(byte) height}),
            first,
            count,
            first + count,
            Hash.sha256(new byte[] {(byte) count}),
            1_700_000_000_000L,
            key.kid());
    Bytes hb = BlockCodec.encodeHeader(h);
    return new Block(
        hb, h, key.sign(hb), List.of(new AuthenticatorSignature(key.kid(), key.sign(hb))));
  }

  static List<byte[]> blocks() {
    DeviceKey key = seedKey();
    return List.of(
        BlockCodec.encode(sampleBlock(key, 0, 0, 1)).toByteArray(),
        BlockCodec.encode(sampleBlock(key, 7, 100, 16)).toByteArray());
  }

  static List<byte[]> poahMessages() {
    DeviceKey key = seedKey();
    Block b = sampleBlock(key, 3, 40, 16);
    return List.of(
        PoahMessageCodec.encode(new PoahMessage.Proposal(b)).toByteArray(),
        PoahMessageCodec.encode(
                new PoahMessage.Authentication(
                    3, b.hash(), new AuthenticatorSignature(key.kid(), key.sign(b.headerBytes()))))
            .toByteArray());
  }

  static List<byte[]> notes() {
    DeviceKey key = seedKey();
    Checkpoint cp =
        new Checkpoint(
            Checkpoint.originFor("fleet-a", "truck-1"), 300, Hash.sha256(new byte[] {3}));
    return List.of(new CheckpointSigner(key).sign(cp).encodeUtf8());
  }

  static List<byte[]> cborSeeds() {
    List<byte[]> out = new ArrayList<>(signedEntries());
    out.addAll(blocks());
    return out;
  }

  private static SignatureVerifier strangerVerifier() {
    try {
      SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
      r.setSeed(7);
      return SignatureVerifier.of(SoftwareDeviceKey.generate(CoseAlgorithm.ES256, r).publicKey());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
