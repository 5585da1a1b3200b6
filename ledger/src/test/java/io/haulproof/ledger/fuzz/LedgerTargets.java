package io.haulproof.ledger.fuzz;

import io.haulproof.ledger.DeviceLedger;
import io.haulproof.ledger.DeviceRegistry;
import io.haulproof.ledger.Ledger;
import io.haulproof.ledger.LightchainCheckpointNotes;
import io.haulproof.ledger.WitnessKey;
import io.haulproof.lightchain.bytes.Bytes;
import io.haulproof.lightchain.checkpoint.Checkpoint;
import io.haulproof.lightchain.checkpoint.CheckpointSigner;
import io.haulproof.lightchain.cose.CoseSign1;
import io.haulproof.lightchain.crypto.DeviceKey;
import io.haulproof.lightchain.crypto.SignatureVerifier;
import io.haulproof.lightchain.fuzz.FuzzFiles;
import io.haulproof.lightchain.fuzz.FuzzInput;
import io.haulproof.lightchain.fuzz.FuzzTarget;
import io.haulproof.uplink.Topics;
import io.haulproof.uplink.checkpoint.CheckpointSource;
import io.haulproof.uplink.testing.SignedLog;
import io.haulproof.uplink.testing.TestPki;
import io.haulproof.uplink.wire.CheckpointMessage;
import io.haulproof.uplink.wire.Cosignatures;
import io.haulproof.uplink.wire.LostEntryMessage;
import io.haulproof.uplink.wire.ReceiptMessage;
import io.haulproof.uplink.wire.WireFormatException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Fuzz targets for what the ledger receives from trucks: entries (COSE_Sign1 with an {@code index}
 * user property), {@code kind=lost} placeholders, and checkpoint submissions. All inputs of a
 * process meet one ledger (on {@code /dev/shm}) that knows truck-1's certificate and holds its
 * first entries, so that later inputs also meet the state earlier ones left (conflicts, gaps,
 * latest checkpoints); the properties hold in any state.
 */
final class LedgerTargets {
  static final String FLEET = "fleet-a";
  static final Topics TRUCK = new Topics(FLEET, "truck-1");
  private static final int PRELOADED = 6;
  private static Setup setup;

  private LedgerTargets() {}

  private record Setup(DeviceKey witness, SignedLog log, Ledger ledger) {}

  static List<FuzzTarget> all() {
    return List.of(
        new FuzzTarget("LedgerEntry", LedgerTargets::entry, LedgerTargets::entrySeeds),
        new FuzzTarget("LedgerLost", LedgerTargets::lost, LedgerTargets::lostSeeds),
        new FuzzTarget("LedgerCheckpoint", LedgerTargets::checkpoint, LedgerTargets::submissions),
        new FuzzTarget(
            "CheckpointMessageDecode",
            LedgerTargets::checkpointMessage,
            LedgerTargets::checkpoints));
  }

  private static synchronized Setup setup() throws Exception {
    if (setup == null) {
      Path dir = FuzzFiles.tempDir("hp-fuzz-ledger");
      TestPki pki = TestPki.create(dir.resolve("pki"), "Fleet CA");
      DeviceRegistry registry = new DeviceRegistry(List.of(pki.caCertificate()), FLEET);
      SignedLog log = new SignedLog("truck-1", 3);
      registry.add(pki.deviceCertificate("truck-1", log.key().publicKey()));
      log.append(PRELOADED);
      CheckpointSource.Signed first = log.checkpoint(FLEET);
      DeviceKey witness = WitnessKey.loadOrCreate(dir.resolve("witness"));
      Ledger ledger =
          new Ledger(
              dir.resolve("data"),
              registry,
              new LightchainCheckpointNotes(),
              witness,
              "witness.fuzz",
              Clock.systemUTC());
      for (long i = 0; i < PRELOADED; i++) {
        ledger.acceptEntry(TRUCK, Long.toString(i), log.read(i));
      }
      // The truck's own signed checkpoint binds the preloaded entries (entries stay candidates
      // until
      // a device-signed checkpoint covers them), so the ledger holds them before any fuzzed input.
      ledger.acceptCheckpoint(TRUCK, new CheckpointMessage(first.wire(), 0, List.of()).encode());
      if (ledger.device(TRUCK).stored() != PRELOADED) {
        throw new IllegalStateException("preloaded entries not bound: " + ledger.counters());
      }
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      ledger.close();
                      FuzzFiles.deleteTree(dir);
                    } catch (IOException e) {
                      // best effort at exit
                    }
                  }));
      setup = new Setup(witness, log, ledger);
    }
    return setup;
  }

  /** A body run against the process's ledger. */
  private interface WithLedger {
    void run(Ledger ledger, Setup s) throws Exception;
  }

  private static void withLedger(WithLedger body) throws Exception {
    Setup s = setup();
    body.run(s.ledger(), s);
  }

  /**
   * Input: a mode byte, the {@code index} property ({@code bytes}), then the entry. Mode bit 0: the
   * rest is an entry payload that truck-1's key signs here (to get past the signature), else the
   * COSE message as received. Properties: only {@code RejectedEntryException} escapes; a stored
   * entry verifies under truck-1's key and is held byte for byte; the same entry again is a
   * duplicate, never a second copy.
   */
  static void entry(byte[] data) throws Exception {
    FuzzInput in = new FuzzInput(data);
    int mode = in.oneByte();
    String index = new String(in.bytes(24), StandardCharsets.ISO_8859_1);
    byte[] rest = in.rest();
    withLedger(
        (ledger, s) -> {
          Bytes cose =
              (mode & 1) == 1
                  ? CoseSign1.sign(s.log().key(), Bytes.wrap(rest)).encoded()
                  : Bytes.wrap(rest);
          DeviceLedger.Outcome o;
          try {
            o = ledger.acceptEntry(TRUCK, index, cose);
          } catch (Ledger.RejectedEntryException e) {
            return;
          }
          DeviceLedger d = ledger.device(TRUCK);
          long stored = d.stored();
          if (o == DeviceLedger.Outcome.STORED) {
            CoseSign1.decode(cose).verify(s.log().key().publicKey());
            if (!d.entry(Long.parseLong(index)).equals(cose)) {
              throw new AssertionError("stored entry differs from the received bytes");
            }
          }
          DeviceLedger.Outcome again = ledger.acceptEntry(TRUCK, index, cose);
          if (o == DeviceLedger.Outcome.STORED && again != DeviceLedger.Outcome.DUPLICATE) {
            throw new AssertionError("the same entry a second time: " + again);
          }
          if (d.stored() != stored) {
            throw new AssertionError("a resent entry changed the stored count");
          }
        });
  }

  private static List<byte[]> entrySeeds() throws Exception {
    SignedLog log = setup().log();
    byte[] zero = "0".getBytes(StandardCharsets.ISO_8859_1);
    return List.of(
        new FuzzInput.Writer().oneByte(0).bytes(zero).rest(log.read(0).toByteArray()).toByteArray(),
        new FuzzInput.Writer()
            .oneByte(1)
            .bytes(zero)
            .rest(CoseSign1.decode(log.read(0)).payload().toByteArray())
            .toByteArray(),
        new FuzzInput.Writer()
            .oneByte(0)
            .bytes("3".getBytes(StandardCharsets.ISO_8859_1))
            .rest(log.read(3).toByteArray())
            .toByteArray());
  }

  /**
   * Input: the {@code index} property ({@code bytes}), then the placeholder. Only {@code
   * RejectedEntryException} escapes; a placeholder the ledger takes decodes strictly and re-encodes
   * to itself.
   */
  static void lost(byte[] data) throws Exception {
    FuzzInput in = new FuzzInput(data);
    String index = new String(in.bytes(24), StandardCharsets.ISO_8859_1);
    Bytes payload = Bytes.wrap(in.rest());
    try {
      LostEntryMessage m = LostEntryMessage.decode(payload);
      if (!m.encode().equals(payload)) {
        throw new AssertionError("lost placeholder does not re-encode to itself: " + payload);
      }
    } catch (WireFormatException e) {
      // refused by the ledger as well
    }
    withLedger(
        (ledger, s) -> {
          try {
            ledger.acceptLost(TRUCK, index, payload);
          } catch (Ledger.RejectedEntryException e) {
            // a refusal
          }
        });
  }

  private static List<byte[]> lostSeeds() throws Exception {
    SignedLog log = setup().log();
    byte[] payload =
        new LostEntryMessage(2, io.haulproof.lightchain.merkle.Rfc9162.leafHash(log.read(2)))
            .encode()
            .toByteArray();
    return List.of(
        new FuzzInput.Writer()
            .bytes("2".getBytes(StandardCharsets.ISO_8859_1))
            .rest(payload)
            .toByteArray());
  }

  /**
   * A checkpoint submission to a ledger holding truck-1's first entries. Input: a mode byte, then
   * either the message as received, or (mode bit 0) a size (0–10), whether the root is the true
   * one, 32 root bytes and a consistency-from, from which a checkpoint is built and signed here
   * with truck-1's key, so that a validly signed lie reaches the witness. Never throws on input;
   * the witness cosigns only a checkpoint whose root it holds, and its cosignature verifies.
   */
  static void checkpoint(byte[] data) throws Exception {
    withLedger(
        (ledger, s) -> {
          Bytes message = data.length == 0 ? Bytes.wrap(data) : submission(data, s.log());
          ReceiptMessage r = ledger.acceptCheckpoint(TRUCK, message);
          if (r instanceof ReceiptMessage.Cosigned c) {
            Checkpoint cp = Checkpoint.parse(c.checkpoint());
            DeviceLedger d = ledger.device(TRUCK);
            if (cp.size() > d.stored() || !cp.root().equals(d.root(cp.size()))) {
              throw new AssertionError("cosigned a root the ledger does not hold: " + cp);
            }
            Cosignatures.verify(
                SignatureVerifier.of(s.witness().publicKey()),
                c.checkpoint(),
                c.timestamp(),
                c.cosignature());
          }
        });
  }

  private static Bytes submission(byte[] data, SignedLog log) {
    if ((data[0] & 1) == 0) {
      return Bytes.wrap(java.util.Arrays.copyOfRange(data, 1, data.length));
    }
    FuzzInput in = new FuzzInput(java.util.Arrays.copyOfRange(data, 1, data.length));
    int size = in.intIn(0, 10);
    boolean trueRoot = in.bool();
    byte[] root = java.util.Arrays.copyOf(in.bytes(32), 32);
    int from = in.intIn(0, 10);
    Checkpoint cp =
        new Checkpoint(
            Checkpoint.originFor(FLEET, "truck-1"),
            size,
            trueRoot && size <= PRELOADED
                ? log.root(size)
                : io.haulproof.lightchain.bytes.Hash.of(root));
    String note = new CheckpointSigner(log.key()).sign(cp).encode();
    return new CheckpointMessage(note, from, List.of()).encode();
  }

  /** The checkpoint message decoder takes only what it re-encodes byte for byte. */
  static void checkpointMessage(byte[] data) {
    CheckpointMessage m;
    try {
      m = CheckpointMessage.decode(Bytes.wrap(data));
    } catch (WireFormatException e) {
      return;
    }
    if (!m.encode().equals(Bytes.wrap(data))) {
      throw new AssertionError("checkpoint message does not re-encode to itself");
    }
  }

  private static List<byte[]> checkpoints() throws Exception {
    SignedLog log = setup().log();
    String note = log.latest().orElseThrow().wire();
    return List.of(new CheckpointMessage(note, 0, List.of()).encode().toByteArray());
  }

  private static List<byte[]> submissions() throws Exception {
    byte[] asReceived = checkpoints().get(0);
    byte[] raw = new byte[asReceived.length + 1];
    System.arraycopy(asReceived, 0, raw, 1, asReceived.length);
    return List.of(
        raw,
        new FuzzInput.Writer()
            .oneByte(1)
            .intIn(0, 4)
            .bool(true)
            .bytes(new byte[32])
            .intIn(0, 0)
            .toByteArray(),
        new FuzzInput.Writer()
            .oneByte(1)
            .intIn(0, 4)
            .bool(false)
            .bytes(new byte[32])
            .intIn(0, 0)
            .toByteArray());
  }
}
